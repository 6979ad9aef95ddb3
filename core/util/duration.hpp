#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace em {

// Durations in the configuration file: "30s", "10m", "1h", "500ms", "1h30m", "0s".
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

std::string format_duration(std::chrono::milliseconds d);

// The longest duration a setting may hold. Timers keep nanoseconds in 64 bits
// (about 292 years), so an absurd duration would overflow "now + interval"
// far from here; a year is already beyond any sensible schedule or timeout.
inline constexpr std::chrono::milliseconds max_setting_duration{365LL * 24 * 3600 * 1000};

// A duration setting (the configuration's, or a plugin's): `text` in the
// grammar of parse_duration, at most max_setting_duration. Sets `out`, or
// returns why not, e.g. "bad duration '5x' (use 30s, 10m, 1h)".
std::optional<std::string> read_duration_setting(std::string_view text,
                                                 std::chrono::milliseconds& out);

}  // namespace em
