#include "plugins/common/text_util.hpp"

#include <algorithm>
#include <cctype>

namespace emplugin {

std::string trim(std::string_view s) {
  const char* space = " \t\r\n\f\v";
  auto b = s.find_first_not_of(space);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(space);
  return std::string(s.substr(b, e - b + 1));
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && to_lower(a) == to_lower(b);
}

std::string one_line(std::string_view s, std::size_t limit) {
  std::string out;
  bool pending_break = false;
  for (char c : trim(s)) {
    if (c == '\n' || c == '\r') {
      pending_break = true;
      continue;
    }
    if (pending_break && !out.empty()) out += "; ";
    pending_break = false;
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  if (out.size() > limit) out = out.substr(0, limit - 3) + "...";
  return out;
}

std::string quoted(std::string_view s) {
  return "'" + one_line(s, 80) + "'";
}

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace emplugin
