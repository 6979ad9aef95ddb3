#pragma once

#include <string>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

constexpr int min_rsa_bits = 2048;

// Empty when the certificate's key may sign a document (SPEC 2: RSA of
// min_rsa_bits or more, or ECDSA on P-256 or P-384), else the reason, e.g.
// "weak key: CN=… has a 1024-bit RSA key (RSA 2048 bits or more, or ECDSA
// P-256/P-384 required)". The verifier checks the signer with it before any
// signature work, and the signer refuses a key the verifier would refuse.
std::string check_signing_key(const X509* cert);

}  // namespace em::trust_detail
