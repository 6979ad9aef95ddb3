#include "core/fetch/parsed_url.hpp"

#include <algorithm>
#include <cctype>

namespace em {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool is_reg_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool is_ipv4(const std::string& h) {
  int parts = 0;
  std::size_t pos = 0;
  while (pos <= h.size()) {
    auto end = h.find('.', pos);
    if (end == std::string::npos) end = h.size();
    auto part = h.substr(pos, end - pos);
    if (part.empty() || part.size() > 3 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(c); }) ||
        std::stoi(part) > 255)
      return false;
    ++parts;
    pos = end + 1;
  }
  return parts == 4;
}

bool fail(std::string* why, const std::string& text) {
  if (why) *why = text;
  return false;
}

// Splits "host[:port]" or "[v6][:port]" into `out`.
bool parse_authority(const std::string& auth, parsed_url& out, std::string* why) {
  std::string host, port;
  if (!auth.empty() && auth.front() == '[') {
    auto close = auth.find(']');
    if (close == std::string::npos || close == 1) return fail(why, "bad IPv6 address");
    host = auth.substr(1, close - 1);
    if (!std::all_of(host.begin(), host.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        }))
      return fail(why, "bad IPv6 address");
    auto rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail(why, "bad text after the IPv6 address");
      port = rest.substr(1);
      if (port.empty()) return fail(why, "empty port");
    }
    out.host_is_ip = true;
  } else {
    auto colon = auth.find(':');
    host = auth.substr(0, colon);
    if (colon != std::string::npos) {
      port = auth.substr(colon + 1);
      if (port.empty()) return fail(why, "empty port");
    }
    if (host.empty()) return fail(why, "no host");
    if (!std::all_of(host.begin(), host.end(), is_reg_name_char) || host.front() == '.' ||
        host.front() == '-')
      return fail(why, "bad host name '" + host + "'");
    out.host_is_ip = is_ipv4(host);
  }
  out.host = lower(host);
  if (!port.empty()) {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(c); }))
      return fail(why, "bad port '" + port + "'");
    int n = std::stoi(port);
    if (n < 1 || n > 65535) return fail(why, "port " + port + " is out of range");
    out.port = static_cast<std::uint16_t>(n);
  }
  return true;
}

}  // namespace

std::string parsed_url::authority() const {
  std::string a = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const std::uint16_t default_port = tls() ? 443 : 80;
  if (port != default_port) a += ":" + std::to_string(port);
  return a;
}

std::string parsed_url::origin() const {
  return scheme + "://" + authority();
}

std::string parsed_url::host_port() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

std::optional<parsed_url> parsed_url::parse(const std::string& url, std::string* why) {
  parsed_url out;
  auto sep = url.find("://");
  if (sep == std::string::npos) return fail(why, "not an http:// or https:// URL"), std::nullopt;
  out.scheme = lower(url.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https")
    return fail(why, "unsupported scheme '" + out.scheme + "'"), std::nullopt;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail(why, "contains a space or control character"), std::nullopt;
  auto rest = url.substr(sep + 3);
  if (auto hash = rest.find('#'); hash != std::string::npos) rest.erase(hash);
  auto path_start = rest.find_first_of("/?");
  auto auth = rest.substr(0, path_start);
  if (auth.find('@') != std::string::npos)
    return fail(why, "user information in a URL is not supported"), std::nullopt;
  if (!parse_authority(auth, out, why)) return std::nullopt;
  if (out.port == 0) out.port = out.tls() ? 443 : 80;
  if (path_start != std::string::npos) {
    out.target = rest.substr(path_start);
    if (out.target.front() == '?') out.target.insert(0, "/");
  }
  return out;
}

std::optional<parsed_url> resolve_location(const parsed_url& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return parsed_url::parse(location);
  if (location.empty() || location.front() != '/' || location.rfind("//", 0) == 0)
    return std::nullopt;
  for (char c : location)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  parsed_url out = base;
  out.target = location.substr(0, location.find('#'));
  return out;
}

}  // namespace em
