#include "core/fetch/wait_preference.hpp"

#include <cctype>

namespace em {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool iequals(const std::string& a, const char* b) {
  std::size_t i = 0;
  for (; i < a.size() && b[i]; ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return i == a.size() && !b[i];
}

// delta-seconds, optionally quoted (RFC 7240 allows a quoted-string word).
std::optional<std::chrono::seconds> seconds_of(std::string value, std::chrono::seconds ceiling) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  std::chrono::seconds::rep n = 0;
  for (char c : value) {
    n = n * 10 + (c - '0');
    if (n >= ceiling.count()) return ceiling;  // stops long before any overflow
  }
  return std::chrono::seconds(n);
}

}  // namespace

std::optional<std::chrono::seconds> parse_wait_preference(const std::string& field,
                                                          std::chrono::seconds ceiling) {
  std::size_t pos = 0;
  while (pos <= field.size()) {
    auto comma = field.find(',', pos);
    if (comma == std::string::npos) comma = field.size();
    auto preference = field.substr(pos, comma - pos);
    preference = preference.substr(0, preference.find(';'));  // its parameters do not matter
    auto eq = preference.find('=');
    if (eq != std::string::npos && iequals(trim(preference.substr(0, eq)), "wait"))
      return seconds_of(trim(preference.substr(eq + 1)), ceiling);
    pos = comma + 1;
  }
  return std::nullopt;
}

std::string wait_preference(std::chrono::seconds wait) {
  return "wait=" + std::to_string(wait.count());
}

}  // namespace em
