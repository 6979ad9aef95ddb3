#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace em {

// Durations in the configuration file: "30s", "10m", "1h", "500ms", "1h30m", "0s".
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

std::string format_duration(std::chrono::milliseconds d);

}  // namespace em
