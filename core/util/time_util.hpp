#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace em {

using sys_time = std::chrono::system_clock::time_point;

// RFC 3339 in UTC, e.g. 2026-11-27T10:00:00Z or 2026-11-27T10:00:00.123Z; an
// offset such as +02:00 is accepted and converted. nullopt when malformed.
std::optional<sys_time> parse_rfc3339(std::string_view text);

// 2026-11-27T10:00:00Z
std::string format_rfc3339(sys_time t);

// 2026-11-27T10:00:00.123Z, the service log's timestamp.
std::string format_rfc3339_ms(sys_time t);

}  // namespace em
