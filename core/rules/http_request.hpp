#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace em::rules {

struct header_field {
  std::string name;
  std::string value;
};

// One HTTP request as the rules see it, with the strings nginx would hand
// them: the raw request URI ($request_uri), its normalised path ($uri), its
// query ($args), the headers ($http_<name>). Anything nginx answers 400 by
// default (a bad %XX, ".." above the root, a space or control character in
// the URI, a lower-case method, two Host headers) is refused here with
// em::invalid_input saying so, before any rule is evaluated.
class http_request {
 public:
  static constexpr std::size_t max_headers = 100;
  static constexpr std::size_t max_header_value = 8192;

  // From a URL as an administrator types it: http(s)://host[:port][/path][?query].
  // The Host header comes from the URL unless `headers` has one.
  static http_request from_url(std::string_view url, std::string method,
                               std::vector<header_field> headers);

  // From a request as it reaches the proxy: the request target exactly as on
  // the request line ("/path?query") and whether the client used TLS.
  static http_request from_target(std::string target, bool https, std::string method,
                                  std::vector<header_field> headers);

  const std::string& method() const { return method_; }
  const std::string& request_uri() const { return target_; }
  bool https() const { return https_; }
  const std::string& path() const { return path_; }
  const std::string& query_string() const { return query_; }
  const std::string& decoded_request_uri() const { return decoded_; }
  const std::vector<header_field>& headers() const { return headers_; }

  // The header IIS calls HTTP_<name> (`name` in any case, '_' for '-'), as
  // nginx's $http_<name> gives it: the first one; several Cookie headers
  // joined with "; " and several X-Forwarded-For with ", ". "" when absent.
  std::string header(std::string_view name) const;

 private:
  http_request() = default;

  std::string method_;
  std::string target_;
  bool https_ = false;
  std::vector<header_field> headers_;
  std::string path_;
  std::string query_;
  std::string decoded_;
};

}  // namespace em::rules
