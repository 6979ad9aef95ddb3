#include "tests/core/trust/trust_fixtures.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "tests/core/trust/corpus/corpus_templates.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

namespace {
const std::string unsigned_eocs_text =
    std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n") +
    corpus::default_body + "</EOCS>\n";
}  // namespace

const char* const unsigned_eocs = unsigned_eocs_text.c_str();

std::filesystem::path pki_file(const std::string& name) {
  return test_pki() / name;
}

std::string sign_with(const std::string& xml, const std::string& signer,
                      std::optional<std::uint64_t> sequence, std::optional<sys_time> expires) {
  signing_request request;
  request.key_file = pki_file(signer + ".key");
  request.cert_file = pki_file(signer + ".pem");
  request.chain_files = {pki_file("chain.pem")};
  request.sequence = sequence;
  request.expires = expires;
  return sign_document(xml, request);
}

trust_settings test_trust() {
  trust_settings s;
  s.anchors = {pki_file("root.pem")};
  s.eku = {"1.3.6.1.5.5.7.3.3"};
  s.crl_files = {pki_file("root.crl"), pki_file("ca.crl")};
  s.revocation = revocation_mode::require;
  return s;
}

verification verify_now(const std::string& xml, const trust_settings& settings) {
  document_verifier verifier(settings);
  return verifier.verify(xml, std::chrono::system_clock::now());
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

std::string pem_body(const std::filesystem::path& pem) {
  return corpus::pem_base64(pem);
}

sys_time time_at(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

}  // namespace em::test
