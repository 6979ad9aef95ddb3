#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace em {

// A product build such as 15.2.1118.7: up to four dotted numbers, missing parts
// are 0, compared numerically part by part (so 15.2.986.30 < 15.2.1118.0).
class build_version {
 public:
  build_version() = default;
  explicit build_version(std::array<std::uint32_t, 4> parts) : parts_(parts) {}

  // nullopt for anything but 1-4 dot-separated decimal numbers.
  static std::optional<build_version> parse(std::string_view text);

  const std::array<std::uint32_t, 4>& parts() const { return parts_; }
  std::string to_string() const;

  friend bool operator==(const build_version& a, const build_version& b) {
    return a.parts_ == b.parts_;
  }
  friend bool operator!=(const build_version& a, const build_version& b) { return !(a == b); }
  friend bool operator<(const build_version& a, const build_version& b) {
    return a.parts_ < b.parts_;
  }
  friend bool operator<=(const build_version& a, const build_version& b) { return !(b < a); }
  friend bool operator>(const build_version& a, const build_version& b) { return b < a; }
  friend bool operator>=(const build_version& a, const build_version& b) { return !(a < b); }

 private:
  std::array<std::uint32_t, 4> parts_{};
};

}  // namespace em
