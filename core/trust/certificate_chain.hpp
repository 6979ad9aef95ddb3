#pragma once

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// The trust anchors and the chain check against them, done with OpenSSL's
// X509_verify_cert so each failure has a precise reason. Anchors may be roots
// or pinned intermediates (partial chains are accepted: a pinned intermediate
// is trusted as it is, SPEC 3).
class certificate_chain {
 public:
  // Throws em::invalid_input naming the file when one is unreadable or holds
  // no certificate (PEM, possibly several, or one DER certificate).
  explicit certificate_chain(const std::vector<std::filesystem::path>& anchor_files);

  struct outcome {
    x509_ptr signer;     // set when the chain is good
    std::string reason;  // why not, otherwise
  };

  // Picks the signer among the document's certificates (DER, from
  // KeyInfo/X509Data): the one certificate whose subject is the issuer of none
  // of the others; more than one such is ambiguous and refused. Issuing is
  // judged by name only, so a would-be issuer that may not issue still counts
  // as one and the chain check then says what is wrong with it. The others are
  // untrusted helpers for building the chain; only the anchors are trusted.
  outcome verify(const std::vector<std::string>& certificates_der, std::time_t at) const;

 private:
  x509_store_ptr store_;
};

}  // namespace em::trust_detail
