#pragma once

#include <optional>
#include <string>

namespace em {

// Standard base64 (RFC 4648, padded, no line breaks), through OpenSSL.
std::string to_base64(const std::string& bytes);
// nullopt when `text` is not padded base64 of that alphabet.
std::optional<std::string> from_base64(const std::string& text);

}  // namespace em
