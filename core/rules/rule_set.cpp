#include "core/rules/rule_set.hpp"

#include <algorithm>

#include "core/rules/rule_evaluator.hpp"
#include "core/rules/rule_parser.hpp"
#include "core/util/error.hpp"

namespace em::rules {
namespace {

bool iequals(const std::string& a, const std::string& b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

rule_set::rule_set(const mitigation_document& document) {
  for (const auto& m : document.mitigations)
    for (const auto& a : m.actions) {
      if (a.type != "UrlRewrite") continue;
      rule_entry e;
      e.action_id = a.id;
      try {
        e.target = rule_target::of(a.scope, a.target);
        e.rule = parse_url_rewrite_rule(a.value_xml);
      } catch (const invalid_input& err) {
        e.invalid = err.what();
        if (e.target.site.empty() && !e.target.server_wide) e.target = {a.target, {}, false};
      }
      entries_.push_back(std::move(e));
    }
}

std::vector<std::string> rule_set::targets() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    const std::string t = e.target.text();
    if (std::none_of(out.begin(), out.end(), [&](const std::string& o) { return iequals(o, t); }))
      out.push_back(t);
  }
  return out;
}

target_verdict rule_set::evaluate(const std::string& target, const http_request& request) const {
  target_verdict out;
  out.target = target;
  const rule_evaluator evaluator(request);
  for (const auto& e : entries_) {
    if (!iequals(e.target.text(), target)) continue;
    if (!e.rule) {
      out.invalid.push_back(&e);
      continue;
    }
    const rule_outcome r = evaluator.evaluate(*e.rule, e.target.vdir);
    if (r.failed()) {
      out.error = e.action_id + ": " + r.error;
      return out;
    }
    if (!r.matched) continue;
    if (e.rule->ends_processing()) {
      out.decisive = &e;
      return out;
    }
    out.passed.push_back(&e);
  }
  return out;
}

}  // namespace em::rules
