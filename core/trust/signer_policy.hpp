#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// What the operator requires of the signing certificate beyond a good chain
// (SPEC 3): an issuer pin (by name, and by key: the SHA-256 of the issuer's
// SubjectPublicKeyInfo), extendedKeyUsage OIDs, and keyUsage, when the
// certificate restricts it, allowing digitalSignature. A CA of the chain that
// restricts its own extendedKeyUsage must allow one of the OIDs too (or
// anyExtendedKeyUsage): a CA limited to TLS servers does not vouch for code.
class signer_policy {
 public:
  // Throws em::invalid_input when the issuer is not a distinguished name, the
  // key pin is not 64 hex digits or an EKU entry is not a dotted OID.
  signer_policy(const std::optional<std::string>& issuer,
                const std::optional<std::string>& issuer_key_sha256,
                const std::vector<std::string>& eku);

  // Empty when the signer is acceptable, else the reason. `chain` is the
  // checked chain, signer first (certificate_chain's outcome).
  std::string check(const X509* signer, const std::vector<x509_ptr>& chain) const;

 private:
  std::string check_issuer(const X509* signer, const std::vector<x509_ptr>& chain) const;
  std::string check_eku(const X509* signer, const std::vector<x509_ptr>& chain) const;

  std::optional<std::string> issuer_text_;
  x509_name_ptr issuer_;
  std::optional<std::string> issuer_key_;
  std::vector<std::string> eku_;
};

}  // namespace em::trust_detail
