#include "bench/bench_documents.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "core/trust/document_signer.hpp"

namespace em::bench {
namespace {

struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    char tmpl[] = "/tmp/em-bench-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("cannot make a scratch folder in /tmp");
    path = tmpl;
  }
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

const std::filesystem::path& scratch() {
  static scratch_dir dir;
  return dir.path;
}

const std::filesystem::path& pki() {
  static const std::filesystem::path dir = [] {
    auto out = scratch() / "pki";
    const std::string command = std::string(EM_SOURCE_DIR) + "/scripts/make-test-pki.sh '" +
                                out.string() + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
      throw std::runtime_error("scripts/make-test-pki.sh failed (is openssl installed?)");
    return out;
  }();
  return dir;
}

std::string unsigned_document(std::size_t configs) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n";
  for (std::size_t i = 1; i <= configs; ++i) {
    const auto id = "M" + std::to_string(i);
    xml += "  <Config id=\"" + id + "\" desc=\"Mitigation " + id +
           " for the benchmark\">\n"
           "    <Applicability><Range product=\"Exchange2019\" min=\"15.2.0.0\" "
           "max=\"15.2.9999.9999\"/></Applicability>\n"
           "    <ActionList>\n"
           "      <Action type=\"DoNothing\" scope=\"Server\" desc=\"No change\">"
           "<Value>DoNothing</Value></Action>\n"
           "    </ActionList>\n"
           "  </Config>\n";
  }
  return xml + "</EOCS>\n";
}

const std::string& signed_document(std::size_t configs) {
  static std::map<std::size_t, std::string> made;
  auto& doc = made[configs];
  if (doc.empty()) {
    signing_request r;
    r.key_file = pki() / "signer.key";
    r.cert_file = pki() / "signer.pem";
    r.chain_files = {pki() / "chain.pem"};
    r.sequence = 1;
    r.expires = std::chrono::system_clock::now() + std::chrono::hours(24 * 30);
    doc = sign_document(unsigned_document(configs), r);
  }
  return doc;
}

}  // namespace em::bench
