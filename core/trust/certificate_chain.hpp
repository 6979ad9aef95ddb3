#pragma once

#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/config/service_config.hpp"
#include "core/trust/crl_source.hpp"
#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

class revocation_check;

// The trust anchors and the chain check against them, done with OpenSSL's
// X509_verify_cert so each failure has a precise reason. Anchors may be roots
// or pinned intermediates (partial chains are accepted: a pinned intermediate
// is trusted as it is, SPEC 3), then revocation of every other certificate of
// the chain with CRLs from `crl_sources` as `revocation` says (revocation_check).
// The signer's key must be one SPEC 2 allows, and every CA key and signature
// of the chain must reach OpenSSL's security level 2 (RSA 2048, no SHA-1).
class certificate_chain {
 public:
  // Throws em::invalid_input naming the file when one is unreadable or holds
  // no certificate (PEM, possibly several, or one DER certificate).
  certificate_chain(const std::vector<std::filesystem::path>& anchor_files,
                    revocation_mode revocation,
                    std::vector<std::shared_ptr<const crl_source>> crl_sources);

  struct outcome {
    x509_ptr signer;              // set when the chain is good
    std::vector<x509_ptr> chain;  // then: signer first, the anchor last, every signature checked
    std::string reason;           // why not, otherwise
  };

  // Picks the signer among the document's certificates (DER, from
  // KeyInfo/X509Data): the one certificate whose subject is the issuer of none
  // of the others; more than one such is ambiguous and refused. Issuing is
  // judged by name only, so a would-be issuer that may not issue still counts
  // as one and the chain check then says what is wrong with it. The others are
  // untrusted helpers for building the chain; only the anchors are trusted.
  //
  // Nothing leaves the machine before trust: the chain is first checked
  // whole (every signature up to an anchor, validity, CA constraints, key
  // strength) with no CRL at all, and only a chain that passes is checked
  // again for revocation, whose sources may then download the CRLs of its
  // certificates, and of those alone.
  outcome verify(const std::vector<std::string>& certificates_der, std::time_t at) const;

 private:
  struct attempt;
  attempt check(X509* signer, STACK_OF(X509) * untrusted, std::time_t at,
                revocation_check* revocation) const;
  static std::string failure(const attempt& a, const X509* signer);

  x509_store_ptr store_;
  revocation_mode revocation_;
  std::vector<std::shared_ptr<const crl_source>> crl_sources_;
};

}  // namespace em::trust_detail
