#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/trust/trust_settings.hpp"
#include "core/util/time_util.hpp"

namespace em::test {

// A root, an intermediate "ca" and code-signing certificates, made at test
// time with the openssl command-line tool (EC P-256, so quickly), whose CRL
// distribution points are URLs the test chose: the URL of a server it already
// runs, so the port is known before the certificates are issued. CRLs are made
// by `openssl ca -gencrl` from each CA's database, revocations included.
class cdp_pki {
 public:
  // The root "CN=EM CDP Root" and "CN=EM CDP CA", whose distribution point is
  // `root_crl_url` (the root's CRL).
  cdp_pki(std::filesystem::path dir, const std::string& root_crl_url);

  // A signer "CN=<name>" issued by ca, whose extension lists `crl_urls` as one
  // distribution point (alternatives); none when empty.
  void issue_signer(const std::string& name, const std::vector<std::string>& crl_urls);

  // A forgery of a signer (issue 12): "CN=<name>" issued under ca's name and
  // key identifier but signed by another key (a self-signed "fake-ca"), with
  // one distribution point per URL of `crl_urls`. Its signature was never
  // made by ca, so no CRL may be fetched for it.
  void issue_forged_signer(const std::string& name, const std::vector<std::string>& crl_urls);

  // Marks `name` (a signer, or "ca") revoked in its issuer's database.
  void revoke(const std::string& name);

  // A DER CRL of `ca` ("root" or "ca") with the given thisUpdate and nextUpdate.
  std::string crl(const std::string& ca, sys_time this_update, sys_time next_update);
  // The same, valid from an hour ago for a day.
  std::string current_crl(const std::string& ca);

  std::filesystem::path pem(const std::string& name) const { return dir_ / (name + ".pem"); }
  std::filesystem::path key(const std::string& name) const { return dir_ / (name + ".key"); }

  // The unsigned PING1 document signed by `signer` with em::sign_document, ca embedded.
  std::string sign(const std::string& signer, std::uint64_t sequence = 1) const;

  // Trust in the root alone, codeSigning, revocation required, no CRL files:
  // every CRL must come from a distribution point.
  trust_settings trust() const;

 private:
  void issue(const std::string& name, const std::string& issuer, const std::string& extensions,
             const std::string& cn = "");
  std::filesystem::path ca_config(const std::string& ca) const;

  std::filesystem::path dir_;
  int next_serial_ = 0x1000;
};

}  // namespace em::test
