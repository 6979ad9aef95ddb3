#pragma once

#include <string>
#include <string_view>

#include "core/rules/http_request.hpp"
#include "core/rules/url_rewrite_rule.hpp"

namespace em::rules {

// Whether one rule matches one request, or why that could not be decided.
struct rule_outcome {
  bool matched = false;
  std::string error;  // a pattern reached a limit: `matched` means nothing

  bool failed() const { return !error.empty(); }
};

// IIS URL Rewrite's evaluation of one rule: <match url> against the path
// without its leading '/' (relative to the virtual directory for a VDir
// rule) and without the query, XOR negate; then the conditions, in order,
// each pattern against its input XOR negate, all of them (MatchAll) or one
// (MatchAny), stopping at the first that decides. A disabled rule never
// matches. nginx's translation (plugins/nginx) follows the same steps.
class rule_evaluator {
 public:
  explicit rule_evaluator(const http_request& request) : request_(request) {}

  // `vdir` is the virtual directory of a VDir rule ("owa" for target
  // "Default Web Site/owa"), empty for a site's rule: a VDir rule sees only
  // requests under /<vdir>, compared without regard to case as IIS does.
  rule_outcome evaluate(const url_rewrite_rule& rule, std::string_view vdir = {}) const;

  // The path the rule's <match url> sees, or nothing when the request is not
  // under `vdir`.
  bool match_subject(std::string_view vdir, std::string& subject) const;

 private:
  const http_request& request_;
};

}  // namespace em::rules
