#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

// RFC 2253 text of a name, most specific first ("CN=EM Test Publisher,O=EM Test"),
// UTF-8 kept as is.
std::string rfc2253(const X509_NAME* name);
std::string subject_of(const X509* cert);
std::string issuer_of(const X509* cert);

// "2022-06-09T18:44:12Z"
std::string rfc3339(const ASN1_TIME* t);

// Every certificate in PEM text (one or more blocks) or one DER certificate.
// Empty when the bytes hold no certificate.
std::vector<x509_ptr> parse_certificates(std::string_view bytes);

// Exactly one DER certificate and nothing after it; null otherwise (PEM text
// included: where a format says DER, PEM is not another spelling of it).
x509_ptr parse_der_certificate(std::string_view der);

// Hex SHA-256 of the certificate's SubjectPublicKeyInfo (DER), as
// `openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum`
// prints it; empty when the key cannot be encoded.
std::string public_key_sha256(const X509* cert);

// The extendedKeyUsage OIDs of a certificate in dotted form; nullopt when it
// has no such extension.
std::optional<std::vector<std::string>> extended_key_usages(const X509* cert);

// The dotted form of an OID given as dotted text; nullopt when it is not one.
std::optional<std::string> normalize_oid(const std::string& text);

std::string hex_sha256(std::string_view bytes);

}  // namespace em::trust_detail
