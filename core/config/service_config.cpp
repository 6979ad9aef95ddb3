#include "core/config/service_config.hpp"

#include <cctype>

namespace em {

const char* to_string(revocation_mode m) {
  switch (m) {
    case revocation_mode::require:
      return "require";
    case revocation_mode::best_effort:
      return "best-effort";
    case revocation_mode::off:
      return "off";
  }
  return "require";
}

std::optional<revocation_mode> parse_revocation_mode(const std::string& text) {
  // The spelling is the operator's explicit choice (SPEC 3): no case folding,
  // no aliases, so "Off" or "none" is refused rather than guessed at.
  if (text == "require") return revocation_mode::require;
  if (text == "best-effort") return revocation_mode::best_effort;
  if (text == "off") return revocation_mode::off;
  return std::nullopt;
}

std::optional<std::string> normalize_key_pin(const std::string& text) {
  std::string hex;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ':' && i % 3 == 2) continue;  // AB:CD:… as openssl prints digests
    if (!std::isxdigit(c)) return std::nullopt;
    hex += static_cast<char>(std::tolower(c));
  }
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

}  // namespace em
