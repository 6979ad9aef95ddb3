#include "tests/core/trust/corpus/corpus_pki.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

// The extensions a certificate can be issued with.
const char* const extension_sections = R"([ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[signer_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[tls_ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid:always
[encipher_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = codeSigning
authorityKeyIdentifier = keyid:always
[crl_ext]
authorityKeyIdentifier = keyid:always
)";

}  // namespace

std::string openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  if (r.exit_code != 0) {
    std::string line;
    for (const auto& a : argv)
      line += a + " ";
    throw std::runtime_error(line + "failed: " + r.err);
  }
  return r.out;
}

corpus_pki::corpus_pki(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

std::filesystem::path corpus_pki::pem(const std::string& name) const {
  return dir_ / (name + ".pem");
}
std::filesystem::path corpus_pki::key(const std::string& name) const {
  return dir_ / (name + ".key");
}
std::filesystem::path corpus_pki::db(const std::string& ca) const {
  return dir_ / ("db-" + ca);
}

std::string corpus_pki::issuer_of(const std::string& name) const {
  return read_text(dir_ / (name + ".issuer"));
}

void corpus_pki::ensure_database(const std::string& ca) {
  if (std::filesystem::exists(db(ca) / "index.txt")) return;
  write_text(db(ca) / "index.txt", "");
  write_text(db(ca) / "serial", "1000\n");
  write_text(db(ca) / "crlnumber", "01\n");
}

// The CA's own database; `key_of` names whose key signs (a forger's, for a bad CRL).
std::filesystem::path corpus_pki::config_for(const std::string& ca, const std::string& key_of) {
  ensure_database(ca);
  const std::string d = db(ca).string();
  std::ostringstream cnf;
  cnf << "[ca]\ndefault_ca = this\n[this]\ndatabase = " << d << "/index.txt\nnew_certs_dir = " << d
      << "\nserial = " << d << "/serial\ncrlnumber = " << d << "/crlnumber\n"
      << "certificate = " << pem(key_of.empty() ? ca : key_of).string() << "\n"
      << "private_key = " << key(key_of.empty() ? ca : key_of).string() << "\n"
      << "default_md = sha256\npolicy = any\npreserve = yes\ncopy_extensions = none\n"
      << "unique_subject = no\ncrl_extensions = crl_ext\n"
      << "[any]\norganizationName = optional\ncommonName = supplied\n"
      << extension_sections;
  auto file = db(ca) / ("ca-" + (key_of.empty() ? ca : key_of) + ".cnf");
  write_text(file, cnf.str());
  return file;
}

void corpus_pki::issue(const cert_spec& s) {
  const std::string key_file = key(s.name).string();
  auto colon = s.key.find(':');
  const std::string type = s.key.substr(0, colon), param = s.key.substr(colon + 1);
  if (type == "rsa")
    openssl(
        {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + param, "-out", key_file});
  else
    openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + param, "-out",
             key_file});
  const std::string csr = (dir_ / (s.name + ".csr")).string();
  openssl({"req", "-new", "-key", key_file, "-subj", s.subject, "-out", csr});
  const std::string ca = s.issuer.empty() ? s.name : s.issuer;
  std::vector<std::string> args{"ca",
                                "-batch",
                                "-notext",
                                "-config",
                                config_for(ca, "").string(),
                                "-in",
                                csr,
                                "-out",
                                pem(s.name).string(),
                                "-startdate",
                                s.not_before,
                                "-enddate",
                                s.not_after,
                                "-md",
                                s.digest,
                                "-extensions",
                                s.extensions};
  if (s.issuer.empty()) {
    args.insert(args.end(), {"-selfsign", "-keyfile", key_file});
  }
  openssl(args);
  write_text(dir_ / (s.name + ".issuer"), ca);
}

void corpus_pki::revoke(const std::string& name, const std::string& when) {
  const std::string ca = issuer_of(name);
  openssl({"ca", "-config", config_for(ca, "").string(), "-revoke", pem(name).string(),
           "-crl_reason", "keyCompromise"});
  // openssl records "now"; the corpus wants a fixed revocation time.
  std::istringstream in(read_text(db(ca) / "index.txt"));
  std::string out, line;
  const std::string target = serial(name);
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream f(line);
    for (std::string field; std::getline(f, field, '\t');)
      fields.push_back(field);
    if (fields.size() >= 4 && fields[0] == "R" && fields[3] == target)
      fields[2] = when + ",keyCompromise";
    std::string joined;
    for (std::size_t i = 0; i < fields.size(); ++i)
      joined += (i ? "\t" : "") + fields[i];
    out += joined + "\n";
  }
  write_text(db(ca) / "index.txt", out);
}

std::filesystem::path corpus_pki::crl(const std::string& ca, const std::string& file,
                                      const std::string& this_update,
                                      const std::string& next_update, const std::string& key_of) {
  auto out = dir_ / file;
  openssl({"ca", "-gencrl", "-config", config_for(ca, key_of).string(), "-out", out.string(),
           "-crl_lastupdate", this_update, "-crl_nextupdate", next_update});
  return out;
}

std::string corpus_pki::key_sha256(const std::string& name) const {
  const auto pub = dir_ / (name + ".pub.pem"), der = dir_ / (name + ".pub.der");
  openssl({"x509", "-in", pem(name).string(), "-pubkey", "-noout", "-out", pub.string()});
  openssl({"pkey", "-pubin", "-in", pub.string(), "-outform", "DER", "-out", der.string()});
  const std::string out = openssl({"dgst", "-sha256", "-r", der.string()});  // "<hex> *<file>"
  return out.substr(0, out.find(' '));
}

std::string corpus_pki::serial(const std::string& name) const {
  auto out = openssl({"x509", "-in", pem(name).string(), "-noout", "-serial"});  // serial=1002
  auto eq = out.find('=');
  auto end = out.find_first_of("\r\n");
  return out.substr(eq + 1, end - eq - 1);
}

}  // namespace em::test
