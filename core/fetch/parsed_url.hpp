#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace em {

// An http:// or https:// URL split into what a connection needs. Boost 1.74
// has no URL library (Boost.URL came in 1.81), so this small parser accepts
// only the shape the service uses: scheme://host[:port][/path][?query], the
// host a DNS name, an IPv4 address or a [bracketed IPv6] address. User info
// is refused (no password ever travels in a URL or lands in a log); a
// fragment is dropped as HTTP never sends it.
struct parsed_url {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // lower case; an IPv6 address without its brackets
  std::uint16_t port = 0;
  std::string target = "/";  // path and query, as sent in the request line
  bool host_is_ip = false;   // IPv4 or IPv6: no SNI, the certificate's IP SAN is checked

  bool tls() const { return scheme == "https"; }
  // The Host header value: host, [v6] host, with ":port" when not the default.
  std::string authority() const;
  // scheme://authority, for messages.
  std::string origin() const;
  // host:port as a CONNECT request names it ("[::1]:443" for IPv6).
  std::string host_port() const;

  // nullopt when `url` is not such a URL; `why` then says what is wrong.
  static std::optional<parsed_url> parse(const std::string& url, std::string* why = nullptr);
};

// `location` (a Location header) resolved against `base`: an absolute URL, or
// an absolute path on the same origin. nullopt for anything else.
std::optional<parsed_url> resolve_location(const parsed_url& base, const std::string& location);

}  // namespace em
