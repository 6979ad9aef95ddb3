#include "core/config/service_config.hpp"

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

}  // namespace em
