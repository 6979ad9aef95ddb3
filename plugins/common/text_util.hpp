#pragma once

// Small text helpers shared by the built-in plugins.

#include <string>
#include <string_view>

namespace emplugin {

std::string trim(std::string_view s);
std::string to_lower(std::string_view s);
// IIS treats site, pool and variable names without regard to case.
bool iequals(std::string_view a, std::string_view b);
// For one log line: control characters become spaces, runs of lines are
// joined with "; " and the text is cut at `limit` characters.
std::string one_line(std::string_view s, std::size_t limit = 400);
// 'value', shortened for a message.
std::string quoted(std::string_view s);
// True when `s` holds a character below 0x20 (or DEL).
bool has_control_char(std::string_view s);

}  // namespace emplugin
