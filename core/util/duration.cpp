#include "core/util/duration.hpp"

#include <cctype>
#include <cstdint>
#include <limits>

namespace em {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  using ms = std::chrono::milliseconds;
  std::int64_t total = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    if (!std::isdigit(static_cast<unsigned char>(s[pos]))) return std::nullopt;
    std::int64_t value = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (value > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return std::nullopt;
      value = value * 10 + (s[pos++] - '0');
    }
    size_t unit_start = pos;
    while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos])))
      ++pos;
    std::string_view unit = s.substr(unit_start, pos - unit_start);
    std::int64_t factor;
    if (unit == "ms")
      factor = 1;
    else if (unit == "s")
      factor = 1000;
    else if (unit == "m")
      factor = 60'000;
    else if (unit == "h")
      factor = 3'600'000;
    else if (unit == "d")
      factor = 86'400'000;
    else
      return std::nullopt;
    if (value > std::numeric_limits<std::int64_t>::max() / factor - total) return std::nullopt;
    total += value * factor;
  }
  return ms(total);
}

std::optional<std::string> read_duration_setting(std::string_view text,
                                                 std::chrono::milliseconds& out) {
  auto d = parse_duration(text);
  if (!d) return "bad duration '" + std::string(text) + "' (use 30s, 10m, 1h)";
  if (*d > max_setting_duration)
    return "duration '" + std::string(text) + "' is too long (at most 365d)";
  out = *d;
  return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds d) {
  auto v = d.count();
  if (v == 0) return "0s";
  std::string out;
  auto part = [&](std::int64_t unit, const char* suffix) {
    if (v >= unit) {
      out += std::to_string(v / unit) + suffix;
      v %= unit;
    }
  };
  part(3'600'000, "h");
  part(60'000, "m");
  part(1000, "s");
  part(1, "ms");
  return out;
}

}  // namespace em
