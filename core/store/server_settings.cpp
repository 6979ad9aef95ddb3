#include "core/store/server_settings.hpp"

#include <algorithm>
#include <cctype>

#include "core/model/mitigation_document.hpp"

namespace em {
namespace {

bool starts_with_ci(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char lower, char c) {
           return std::tolower(static_cast<unsigned char>(c)) == lower;
         });
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool is_valid_port(const std::string& port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return false;
  const int n = std::stoi(port);
  return n >= 1 && n <= 65535;
}

}  // namespace

std::string setting_text(bool value) {
  return value ? "True" : "False";
}

std::string setting_text(const std::vector<std::string>& ids) {
  std::string text = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) text += ", ";
    text += ids[i];
  }
  return text + "}";
}

bool is_valid_blocked_id(const std::string& id) {
  return is_valid_mitigation_id(id) || is_valid_action_id(id);
}

bool is_valid_proxy_url(const std::string& url) {
  std::string rest;
  if (starts_with_ci(url, "http://"))
    rest = url.substr(7);
  else if (starts_with_ci(url, "https://"))
    rest = url.substr(8);
  else
    return false;
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return false;

  std::string host;
  std::string port;
  bool has_port = false;
  if (rest.front() == '[') {  // [IPv6]
    auto close = rest.find(']');
    if (close == std::string::npos || close == 1) return false;
    host = rest.substr(1, close - 1);
    if (!std::all_of(host.begin(), host.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        }))
      return false;
    const std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      has_port = true;
      port = after.substr(1);
    }
  } else {
    auto colon = rest.find(':');
    host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      has_port = true;
      port = rest.substr(colon + 1);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_char)) return false;
    if (host.front() == '.' || host.front() == '-') return false;
  }
  return !has_port || is_valid_port(port);
}

}  // namespace em
