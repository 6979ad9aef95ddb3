#include "core/model/build_version.hpp"

#include <charconv>

namespace em {

std::optional<build_version> build_version::parse(std::string_view text) {
  std::array<std::uint32_t, 4> parts{};
  size_t index = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  if (p == end) return std::nullopt;
  for (;;) {
    if (index == parts.size() || p == end || *p < '0' || *p > '9') return std::nullopt;
    auto [next, ec] = std::from_chars(p, end, parts[index]);
    if (ec != std::errc{}) return std::nullopt;
    ++index;
    p = next;
    if (p == end) break;
    if (*p != '.') return std::nullopt;
    ++p;
  }
  return build_version{parts};
}

std::string build_version::to_string() const {
  return std::to_string(parts_[0]) + "." + std::to_string(parts_[1]) + "." +
         std::to_string(parts_[2]) + "." + std::to_string(parts_[3]);
}

}  // namespace em
