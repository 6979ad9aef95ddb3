#pragma once

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

namespace em {

struct crl_deleter {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
using crl_ptr = std::unique_ptr<X509_CRL, crl_deleter>;

// What a crl_source found for one certificate.
struct crl_candidates {
  // CRLs that may say whether the certificate is revoked. Candidates only: the
  // verifier itself keeps those issued and signed by the certificate's issuer
  // and current at the verification time, and ignores the rest.
  std::vector<crl_ptr> crls;
  // Why a CRL could not be had, for the rejection reason when no usable CRL
  // is left (e.g. "http://crl.example/ca.crl: timed out").
  std::vector<std::string> problems;
};

// Where the verifier gets CRLs (SPEC 3): the configured files
// (crl_file_source) and each certificate's CRL distribution points over HTTP
// (crl_cdp_source). The verifier asks once per certificate of a chain it
// checks for revocation, so a source may fetch lazily; it asks only about a
// chain whose signatures it already checked up to a trust anchor.
class crl_source {
 public:
  virtual ~crl_source() = default;

  // One verifier serves every thread of the service: this must be safe to call
  // concurrently. Never throws for a CRL that cannot be had: it reports it in
  // `problems` and the verifier decides (revocation = require rejects).
  // `issuer` is the certificate that signed `cert` in the chain just checked,
  // so a source can tell a CRL its key signed from any other before keeping it.
  virtual crl_candidates crls_for(const X509* cert, const X509* issuer) const = 0;
};

}  // namespace em
