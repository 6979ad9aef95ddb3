#include "tests/core/trust/cdp_pki.hpp"

#include <ctime>
#include <sstream>

#include "core/trust/document_signer.hpp"
#include "tests/core/trust/corpus/corpus_pki.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

const char* const ca_extensions = R"(basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
)";

const char* const signer_extensions = R"(basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
)";

// As openssl ca -crl_lastupdate wants it: YYYYMMDDHHMMSSZ.
std::string asn1_time(sys_time t) {
  const std::time_t at = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&at, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%SZ", &tm);
  return text;
}

}  // namespace

cdp_pki::cdp_pki(std::filesystem::path dir, const std::string& root_crl_url)
    : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  issue("root", "", ca_extensions);
  issue("ca", "root",
        std::string(ca_extensions) +
            "authorityKeyIdentifier = keyid:always\ncrlDistributionPoints = URI:" + root_crl_url +
            "\n");
}

void cdp_pki::issue_signer(const std::string& name, const std::vector<std::string>& crl_urls) {
  std::string ext = signer_extensions;
  if (!crl_urls.empty()) {
    std::string uris;
    for (const auto& u : crl_urls)
      uris += (uris.empty() ? "URI:" : ",URI:") + u;
    ext += "crlDistributionPoints = cdp\n[cdp]\nfullname = " + uris + "\n";
  }
  issue(name, "ca", ext);
}

void cdp_pki::issue_forged_signer(const std::string& name,
                                  const std::vector<std::string>& crl_urls) {
  // ca's subjectKeyIdentifier, as openssl prints it ("    74:E3:…").
  const std::string printed =
      openssl({"x509", "-in", pem("ca").string(), "-noout", "-ext", "subjectKeyIdentifier"});
  const auto line = printed.find('\n');
  std::string key_id = printed.substr(printed.find_first_not_of(" ", line + 1));
  key_id = key_id.substr(0, key_id.find_first_of("\r\n"));
  if (!std::filesystem::exists(pem("fake-ca")))
    issue("fake-ca", "",
          "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n"
          "subjectKeyIdentifier = " +
              key_id + "\n",
          "ca");
  std::string ext = signer_extensions;
  std::string uris;
  for (const auto& u : crl_urls)
    uris += (uris.empty() ? "URI:" : ", URI:") + u;
  if (!uris.empty()) ext += "crlDistributionPoints = " + uris + "\n";
  issue(name, "fake-ca", ext);
}

// The certificate <name>.pem, self-signed when `issuer` is empty; `extensions`
// is the body of the only section of its extension file; its subject is
// "CN=<cn>" (default: the name).
void cdp_pki::issue(const std::string& name, const std::string& issuer,
                    const std::string& extensions, const std::string& cn) {
  const auto ext_file = dir_ / (name + ".ext");
  write_text(ext_file, "[ext]\n" + extensions);
  openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
           key(name).string()});
  const auto csr = (dir_ / (name + ".csr")).string();
  openssl({"req", "-new", "-key", key(name).string(), "-subj",
           "/O=EM CDP/CN=" + (cn.empty() ? name : cn), "-out", csr});
  std::vector<std::string> args{"x509",        "-req",
                                "-in",         csr,
                                "-days",       "3650",
                                "-set_serial", std::to_string(++next_serial_),
                                "-extfile",    ext_file.string(),
                                "-extensions", "ext",
                                "-out",        pem(name).string()};
  if (issuer.empty())
    args.insert(args.end(), {"-signkey", key(name).string()});
  else
    args.insert(args.end(), {"-CA", pem(issuer).string(), "-CAkey", key(issuer).string()});
  openssl(args);
  write_text(dir_ / (name + ".issuer"), issuer);
}

// An `openssl ca` configuration for revoking and CRLs only (issuing is done
// by `openssl x509 -req`, which takes an extension file per certificate).
std::filesystem::path cdp_pki::ca_config(const std::string& ca) const {
  const auto db = dir_ / ("db-" + ca);
  if (!std::filesystem::exists(db / "index.txt")) {
    write_text(db / "index.txt", "");
    write_text(db / "crlnumber", "01\n");
  }
  std::ostringstream cnf;
  cnf << "[ca]\ndefault_ca = this\n[this]\ndatabase = " << (db / "index.txt").string()
      << "\ncrlnumber = " << (db / "crlnumber").string() << "\ncertificate = " << pem(ca).string()
      << "\nprivate_key = " << key(ca).string()
      << "\ndefault_md = sha256\ncrl_extensions = crl_ext\n"
      << "[crl_ext]\nauthorityKeyIdentifier = keyid:always\n";
  const auto file = db / "ca.cnf";
  write_text(file, cnf.str());
  return file;
}

void cdp_pki::revoke(const std::string& name) {
  const std::string issuer = read_text(dir_ / (name + ".issuer"));
  openssl({"ca", "-config", ca_config(issuer).string(), "-revoke", pem(name).string(),
           "-crl_reason", "keyCompromise"});
}

std::string cdp_pki::crl(const std::string& ca, sys_time this_update, sys_time next_update) {
  const auto pem_file = dir_ / (ca + ".crl.pem"), der_file = dir_ / (ca + ".crl");
  openssl({"ca", "-gencrl", "-config", ca_config(ca).string(), "-crl_lastupdate",
           asn1_time(this_update), "-crl_nextupdate", asn1_time(next_update), "-out",
           pem_file.string()});
  openssl({"crl", "-in", pem_file.string(), "-outform", "DER", "-out", der_file.string()});
  return read_text(der_file);
}

std::string cdp_pki::current_crl(const std::string& ca) {
  const auto now = std::chrono::system_clock::now();
  return crl(ca, now - std::chrono::hours(1), now + std::chrono::hours(24));
}

std::string cdp_pki::sign(const std::string& signer, std::uint64_t sequence) const {
  signing_request request;
  request.key_file = key(signer);
  request.cert_file = pem(signer);
  request.chain_files = {pem("ca")};
  request.sequence = sequence;
  return sign_document(ping_document, request);
}

trust_settings cdp_pki::trust() const {
  trust_settings s;
  s.anchors = {pem("root")};
  s.eku = {"1.3.6.1.5.5.7.3.3"};
  s.revocation = revocation_mode::require;
  return s;
}

}  // namespace em::test
