#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config/service_config.hpp"
#include "core/trust/crl_source.hpp"
#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// Revocation for one chain check, done by OpenSSL's own CRL processing
// (X509_V_FLAG_CRL_CHECK_ALL: issuer and scope matching, signature, thisUpdate
// and nextUpdate against the verification time, the revoked list) on CRLs that
// the sources supply. What this adds is the policy (SPEC 3):
// - every certificate of the chain is checked except the trust anchor, which is
//   trusted as configured;
// - `require`: a certificate without a usable CRL (none, expired, not yet
//   valid, not signed by its issuer, …) rejects the chain, naming it;
//   `best-effort`: it is let through; `off`: no CRL is looked at;
// - a revoked certificate always rejects the chain;
// - a chain error (expired, untrusted …) outranks a revocation finding, so
//   findings are recorded and the check goes on instead of stopping at them;
// - sources are asked only about the certificates of `checked`, a chain whose
//   every signature was already verified up to an anchor (certificate_chain's
//   first run), each with the issuer that signed it there: a certificate
//   nobody vouched for never makes a source fetch anything.
class revocation_check {
 public:
  revocation_check(revocation_mode mode,
                   const std::vector<std::shared_ptr<const crl_source>>& sources,
                   std::vector<const X509*> checked);
  revocation_check(const revocation_check&) = delete;
  revocation_check& operator=(const revocation_check&) = delete;

  // Makes the store's contexts ask the armed revocation_check for CRLs; once per store.
  static void install(X509_STORE* store);

  // Before X509_verify_cert on `ctx`; this object must outlive that call.
  void arm(X509_STORE_CTX* ctx);

  // After X509_verify_cert succeeded: empty when the chain passes, else why not,
  // e.g. "revoked: CN=… (serial 1005, revoked 2029-06-01T00:00:00Z)" or
  // "no usable CRL for CN=… (no CRL from CN=…)".
  std::string verdict() const;

 private:
  static STACK_OF(X509_CRL) * lookup(const X509_STORE_CTX* ctx, const X509_NAME* issuer);
  static int on_verify(int ok, X509_STORE_CTX* ctx);
  int on_crl_error(X509_STORE_CTX* ctx, int error);
  bool is_anchor_depth(int depth) const;
  bool was_checked(int depth, const X509* cert, const X509* issuer) const;

  revocation_mode mode_;
  const std::vector<std::shared_ptr<const crl_source>>& sources_;
  std::vector<const X509*> checked_;  // signer first, the anchor last
  std::string revoked_;               // the first revoked certificate found
  std::string unusable_;              // the first certificate without a usable CRL (require only)
  int problems_depth_ = -1;
  std::vector<std::string> problems_;  // why CRLs for that depth were not kept
};

}  // namespace em::trust_detail
