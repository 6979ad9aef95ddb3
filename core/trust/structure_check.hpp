#pragma once

#include <string>
#include <vector>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// What the structure check found, for the signature work that follows.
struct signature_parts {
  xmlNodePtr signature = nullptr;             // the one ds:Signature, a child of EOCS
  std::string signature_method;               // SignatureMethod@Algorithm
  std::vector<std::string> certificates_der;  // KeyInfo/X509Data/X509Certificate, in order
};

constexpr int max_depth = 32;
constexpr size_t max_certificates = 16;

// Checks, before any cryptography, that the document has the one shape EM
// Service accepts (SPEC 2): root EOCS, nesting at most max_depth, exactly one
// ds:Signature as a direct child of EOCS, one Reference with URI="",
// enveloped-signature then C14N 1.0, a SHA-2 digest, an RSA or ECDSA SHA-2
// signature method, and certificates in exactly one KeyInfo/X509Data.
// Returns the reason when it does not, else an empty string.
std::string check_structure(xmlDocPtr doc, signature_parts& out);

}  // namespace em::trust_detail
