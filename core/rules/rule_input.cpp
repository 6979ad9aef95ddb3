#include "core/rules/rule_input.hpp"

#include <algorithm>

#include "core/util/error.hpp"

namespace em::rules {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return s;
}

bool header_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

rule_input rule_input::parse(const std::string& text) {
  // IIS server variable and function names are case-insensitive.
  const std::string u = upper(text);
  if (u == "{REQUEST_URI}") return {input_kind::request_uri, {}, text};
  if (u == "{URLDECODE:{REQUEST_URI}}") return {input_kind::decoded_request_uri, {}, text};
  if (u == "{QUERY_STRING}") return {input_kind::query_string, {}, text};
  if (u == "{HTTP_HOST}") return {input_kind::http_host, {}, text};
  if (u == "{REQUEST_METHOD}") return {input_kind::request_method, {}, text};
  if (u == "{HTTPS}") return {input_kind::https, {}, text};
  if (u.size() > 7 && u.rfind("{HTTP_", 0) == 0 && u.back() == '}') {
    std::string name = u.substr(6, u.size() - 7);
    if (header_name(name)) return {input_kind::http_header, lower(name), text};
  }
  throw invalid_input("input '" + text.substr(0, 120) +
                      "' is not supported; the evaluator and the nginx plugin read "
                      "{REQUEST_URI}, {UrlDecode:{REQUEST_URI}}, {QUERY_STRING}, {HTTP_HOST}, "
                      "{HTTP_<NAME>}, {REQUEST_METHOD} and {HTTPS}");
}

std::string rule_input::value(const http_request& request) const {
  switch (kind_) {
    case input_kind::request_uri:
      return request.request_uri();
    case input_kind::decoded_request_uri:
      return request.decoded_request_uri();
    case input_kind::query_string:
      return request.query_string();
    case input_kind::http_host:
      return request.header("host");
    case input_kind::http_header:
      return request.header(header_);
    case input_kind::request_method:
      return request.method();
    case input_kind::https:
      return request.https() ? "on" : "off";
  }
  return {};
}

}  // namespace em::rules
