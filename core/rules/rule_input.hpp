#pragma once

#include <string>

#include "core/rules/http_request.hpp"

namespace em::rules {

// The inputs of <add input="…"> the evaluator and the nginx plugin support,
// named as IIS names its server variables.
enum class input_kind {
  request_uri,          // {REQUEST_URI}: the raw URI with its query
  decoded_request_uri,  // {UrlDecode:{REQUEST_URI}}
  query_string,         // {QUERY_STRING}
  http_host,            // {HTTP_HOST}
  http_header,          // {HTTP_<NAME>}: the header <NAME> with '_' for '-'
  request_method,       // {REQUEST_METHOD}
  https                 // {HTTPS}: "on" or "off"
};

class rule_input {
 public:
  // Throws em::invalid_input naming the input and what is supported instead.
  static rule_input parse(const std::string& text);

  input_kind kind() const { return kind_; }
  // For http_header: the name after "HTTP_", in lower case ("x_forwarded_for").
  const std::string& header() const { return header_; }
  // As the rule wrote it.
  const std::string& text() const { return text_; }

  // What IIS (and nginx) would match the condition's pattern against.
  std::string value(const http_request& request) const;

 private:
  rule_input(input_kind kind, std::string header, std::string text)
      : kind_(kind), header_(std::move(header)), text_(std::move(text)) {}

  input_kind kind_;
  std::string header_;
  std::string text_;
};

}  // namespace em::rules
