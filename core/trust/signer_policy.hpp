#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// What the operator requires of the signing certificate beyond a good chain
// (SPEC 3): an issuer pin, extendedKeyUsage OIDs, and keyUsage, when the
// certificate restricts it, allowing digitalSignature.
class signer_policy {
 public:
  // Throws em::invalid_input when the issuer is not a distinguished name or
  // an EKU entry is not a dotted OID.
  signer_policy(const std::optional<std::string>& issuer, const std::vector<std::string>& eku);

  // Empty when the signer is acceptable, else the reason.
  std::string check(const X509* signer) const;

 private:
  std::optional<std::string> issuer_text_;
  x509_name_ptr issuer_;
  std::vector<std::string> eku_;
};

}  // namespace em::trust_detail
