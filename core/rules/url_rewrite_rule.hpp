#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/rules/pattern.hpp"
#include "core/rules/rule_input.hpp"

namespace em::rules {

// One <add input= pattern= ignoreCase= negate=/> of <conditions>.
struct rule_condition {
  rule_input input;
  std::shared_ptr<const pattern> compiled;  // the pattern, with ignoreCase (default true)
  bool negate = false;
};

enum class logical_grouping { match_all, match_any };

enum class action_type { none, custom_response, redirect, abort_request };

// <action>: what happens to a request the rule matches.
struct rule_action {
  action_type type = action_type::none;
  int status_code = 0;  // CustomResponse: 200-599; Redirect: 301, 302, 303 or 307
  int sub_status_code = 0;
  std::string status_reason;        // CustomResponse
  std::string status_description;   // CustomResponse: the body
  std::string url;                  // Redirect: a literal URL
  bool append_query_string = true;  // Redirect

  // The request never reaches the backend: AbortRequest, a CustomResponse
  // with a 4xx or 5xx status, or a Redirect.
  bool blocks() const;
  // "AbortRequest", "CustomResponse 403 Forbidden", "Redirect 301 to https://…", "None".
  std::string describe() const;
};

// One IIS URL Rewrite <rule> (patternSyntax ECMAScript), as far as the
// evaluator and the nginx plugin enforce it; rule_parser.hpp builds it and
// refuses, with the reason, every rule they would enforce differently.
struct url_rewrite_rule {
  std::string name;
  bool enabled = true;
  bool stop_processing = false;
  std::shared_ptr<const pattern> match;  // <match url=…>, against the path without its leading '/'
  bool match_negate = false;
  logical_grouping grouping = logical_grouping::match_all;
  std::vector<rule_condition> conditions;
  rule_action action;

  // IIS goes on to the next rule only after a None action without stopProcessing.
  bool ends_processing() const { return action.type != action_type::none || stop_processing; }
};

}  // namespace em::rules
