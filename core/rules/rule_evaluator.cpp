#include "core/rules/rule_evaluator.hpp"

#include <algorithm>

namespace em::rules {
namespace {

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
}

}  // namespace

bool rule_evaluator::match_subject(std::string_view vdir, std::string& subject) const {
  const std::string& path = request_.path();  // always starts with '/'
  if (vdir.empty()) {
    subject = path.substr(1);
    return true;
  }
  // "/owa" and "/owa/…" are under vdir "owa"; "/owax" is not.
  const std::string_view rest = std::string_view(path).substr(1);
  if (!istarts_with(rest, vdir)) return false;
  const std::string_view after = rest.substr(vdir.size());
  if (after.empty()) {
    subject.clear();
    return true;
  }
  if (after[0] != '/') return false;
  subject = std::string(after.substr(1));
  return true;
}

rule_outcome rule_evaluator::evaluate(const url_rewrite_rule& rule, std::string_view vdir) const {
  rule_outcome out;
  if (!rule.enabled) return out;
  std::string subject;
  if (!match_subject(vdir, subject)) return out;
  const match_result url = rule.match->match(subject);
  if (url.failed()) {
    out.error = "rule '" + rule.name + "': <match url>: " + url.error;
    return out;
  }
  if (url.matched == rule.match_negate) return out;
  const bool all = rule.grouping == logical_grouping::match_all;
  bool decided = rule.conditions.empty() || all;
  for (const auto& c : rule.conditions) {
    const match_result r = c.compiled->match(c.input.value(request_));
    if (r.failed()) {
      out.error = "rule '" + rule.name + "': condition on " + c.input.text() + ": " + r.error;
      return out;
    }
    const bool holds = r.matched != c.negate;
    if (all && !holds) {
      decided = false;
      break;
    }
    if (!all && holds) {
      decided = true;
      break;
    }
  }
  out.matched = decided;
  return out;
}

}  // namespace em::rules
