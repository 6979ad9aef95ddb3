#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/time_util.hpp"

namespace em {

struct signing_request {
  std::filesystem::path key_file;                  // PEM private key (RSA or EC P-256/P-384)
  std::filesystem::path cert_file;                 // PEM certificate of that key
  std::vector<std::filesystem::path> chain_files;  // PEM intermediates to embed
  std::optional<std::uint64_t> sequence;           // sets EOCS@sequence
  std::optional<sys_time> expires;                 // sets EOCS@expires
};

// Signs an unsigned EOCS document with an enveloped XML signature: Reference
// URI="", enveloped-signature then C14N 1.0, SHA-256, RSA-SHA256 or
// ECDSA-SHA256 by key type, the certificate and chain in KeyInfo/X509Data.
// Refuses (em::invalid_input, "refusing to sign: <reason>") to sign what the
// verifier would reject whatever the servers trust: a key other than RSA 2048+
// or ECDSA P-256/P-384, a certificate not valid now, a document-level error, an
// invalid Config, an expires in the past, nesting too deep.
// Throws em::error naming what is wrong (unreadable key, key and certificate
// that do not match, input not EOCS, input already signed, …).
std::string sign_document(std::string_view unsigned_xml, const signing_request& request);

}  // namespace em
