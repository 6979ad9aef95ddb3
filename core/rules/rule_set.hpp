#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model/mitigation_document.hpp"
#include "core/rules/http_request.hpp"
#include "core/rules/rule_target.hpp"
#include "core/rules/url_rewrite_rule.hpp"

namespace em::rules {

// One UrlRewrite action of a document, its rule parsed (or why it cannot be).
struct rule_entry {
  std::string action_id;
  rule_target target;
  std::optional<url_rewrite_rule> rule;
  std::string invalid;  // why the plugins refuse it, when `rule` is empty
};

// What the rules of one target do to one request.
struct target_verdict {
  std::string target;                     // rule_target::text()
  const rule_entry* decisive = nullptr;   // the rule whose action ends processing
  std::vector<const rule_entry*> passed;  // matched with action None, processing went on
  std::vector<const rule_entry*> invalid;
  std::string error;  // a pattern reached its limit: the verdict is unknown

  bool blocked() const { return decisive && decisive->rule->action.blocks(); }
};

// The UrlRewrite rules of a document, by target in document order, as
// `emctl test-request` evaluates them: each target on its own, its rules in
// order until one ends processing (any action but None, or stopProcessing).
class rule_set {
 public:
  explicit rule_set(const mitigation_document& document);

  const std::vector<rule_entry>& entries() const { return entries_; }
  // Each target once, in the order the document first names it.
  std::vector<std::string> targets() const;

  // `target` as rule_target::text() gives it, compared without regard to case.
  target_verdict evaluate(const std::string& target, const http_request& request) const;

 private:
  std::vector<rule_entry> entries_;
};

}  // namespace em::rules
