#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace em::test {

// A certificate authority made with the openssl command-line tool (`openssl
// ca`, so every date, serial and revocation is set exactly), in its own
// database folder under `dir`. Files: <name>.key, <name>.pem.
class corpus_pki {
 public:
  explicit corpus_pki(std::filesystem::path dir);

  struct cert_spec {
    std::string name;                       // file stem
    std::string subject;                    // "/O=EM Corpus/CN=…", kept in this order
    std::string issuer;                     // name of the issuing CA; empty: self-signed
    std::string extensions = "signer_ext";  // a section of the config (see corpus_pki.cpp)
    std::string key = "rsa:2048";           // "rsa:<bits>" or "ec:<curve>"
    std::string not_before = "20200101000000Z";
    std::string not_after = "20491231000000Z";
    std::string digest = "sha256";
  };
  // Issues one certificate and records it in its issuer's database.
  void issue(const cert_spec& spec);

  // Marks `name` revoked (keyCompromise) in its issuer's database, as of `when`
  // (YYMMDDHHMMSSZ), for the CRLs made after.
  void revoke(const std::string& name, const std::string& when);

  // A CRL of `ca` listing what is revoked, with the given thisUpdate and
  // nextUpdate (YYYYMMDDHHMMSSZ); signed with `key_of` (default: ca's key).
  std::filesystem::path crl(const std::string& ca, const std::string& file,
                            const std::string& this_update, const std::string& next_update,
                            const std::string& key_of = "");

  std::filesystem::path file(const std::string& name) const { return dir_ / name; }
  std::filesystem::path pem(const std::string& name) const;
  std::filesystem::path key(const std::string& name) const;
  // Hex SHA-256 of the certificate's SubjectPublicKeyInfo (trust.issuer_key_sha256).
  std::string key_sha256(const std::string& name) const;
  // The serial as `openssl x509 -serial` prints it.
  std::string serial(const std::string& name) const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path db(const std::string& ca) const;
  std::string issuer_of(const std::string& name) const;
  void ensure_database(const std::string& ca);
  std::filesystem::path config_for(const std::string& ca, const std::string& key_of);
};

// Runs openssl with `args`; throws std::runtime_error with its stderr when it fails.
std::string openssl(const std::vector<std::string>& args);

}  // namespace em::test
