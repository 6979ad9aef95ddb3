#include "core/rules/http_request.hpp"

#include <algorithm>

#include "core/rules/request_uri.hpp"
#include "core/util/error.hpp"

namespace em::rules {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Header names compare as nginx's $http_ variables do: case-insensitive, '-' as '_'.
std::string variable_form(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name)
    out += c == '-' ? '_' : lower(c);
  return out;
}

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_control(unsigned char c) {
  return c <= 0x20 || c == 0x7f;
}

void check_method(const std::string& method) {
  if (method.empty() || method.size() > 32)
    throw invalid_input("method '" + method + "' must be 1 to 32 characters");
  for (char c : method)
    if (!((c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
      throw invalid_input("method '" + method +
                          "' may hold only A-Z, '_' and '-' (nginx answers 400 to others)");
}

void check_target(const std::string& target) {
  if (target.size() > max_request_uri)
    throw invalid_input("request URI is " + std::to_string(target.size()) + " bytes, more than " +
                        std::to_string(max_request_uri) + " (nginx answers 414)");
  for (char c : target)
    if (is_control(static_cast<unsigned char>(c)))
      throw invalid_input("request URI '" + target.substr(0, 200) +
                          "' holds a space or control character; percent-encode it (nginx "
                          "answers 400)");
}

// nginx ignores (and logs) header names with '_' unless underscores_in_headers
// is on; such headers are dropped here too so both see the same request.
std::vector<header_field> checked_headers(std::vector<header_field> headers) {
  if (headers.size() > http_request::max_headers)
    throw invalid_input("more than " + std::to_string(http_request::max_headers) + " headers");
  std::vector<header_field> out;
  bool host = false;
  for (auto& h : headers) {
    if (h.name.empty() || !std::all_of(h.name.begin(), h.name.end(), token_char))
      throw invalid_input("header name '" + h.name + "' is not an HTTP token");
    if (h.value.size() > http_request::max_header_value)
      throw invalid_input("header " + h.name + " is longer than " +
                          std::to_string(http_request::max_header_value) + " bytes");
    for (char c : h.value)
      if (c == '\r' || c == '\n' || c == '\0')
        throw invalid_input("header " + h.name + " holds CR, LF or NUL");
    if (h.name.find('_') != std::string::npos) continue;
    if (variable_form(h.name) == "host") {
      if (host) throw invalid_input("two Host headers (nginx answers 400)");
      host = true;
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace

http_request http_request::from_target(std::string target, bool https, std::string method,
                                       std::vector<header_field> headers) {
  check_method(method);
  check_target(target);
  http_request r;
  r.method_ = std::move(method);
  r.https_ = https;
  r.headers_ = checked_headers(std::move(headers));
  r.path_ = normalized_path(target);
  r.query_ = rules::query_string(target);
  r.decoded_ = url_decode(target);
  r.target_ = std::move(target);
  return r;
}

http_request http_request::from_url(std::string_view url, std::string method,
                                    std::vector<header_field> headers) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos)
    throw invalid_input("'" + std::string(url.substr(0, 200)) +
                        "' is not a URL such as https://mail.contoso.com/owa/");
  std::string scheme(url.substr(0, colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), lower);
  if (scheme != "http" && scheme != "https")
    throw invalid_input("URL scheme '" + scheme + "' is not http or https");
  const std::string_view rest = url.substr(colon + 3);
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (authority.empty()) throw invalid_input("URL '" + std::string(url) + "' has no host");
  // A client sends no fragment; a path-less URL is asked for as "/".
  std::string target(end == std::string_view::npos ? std::string_view("/") : rest.substr(end));
  target = target.substr(0, target.find('#'));
  if (target.empty() || target[0] != '/') target.insert(target.begin(), '/');
  const bool has_host = std::any_of(headers.begin(), headers.end(), [](const header_field& h) {
    return variable_form(h.name) == "host";
  });
  if (!has_host) headers.insert(headers.begin(), {"Host", std::string(authority)});
  return from_target(std::move(target), scheme == "https", std::move(method), std::move(headers));
}

std::string http_request::header(std::string_view name) const {
  const std::string wanted = variable_form(name);
  const char* separator = wanted == "cookie" ? "; " : wanted == "x_forwarded_for" ? ", " : nullptr;
  std::string out;
  bool found = false;
  for (const auto& h : headers_) {
    if (variable_form(h.name) != wanted) continue;
    if (found && !separator) break;
    if (found) out += separator;
    out += h.value;
    found = true;
  }
  return out;
}

}  // namespace em::rules
