#include "core/policy/action_plan.hpp"

namespace em {
namespace {

void ask_plugin(const mitigation_action& a, plugin_calls& plugins, planned_action& out) {
  if (auto why = plugins.unavailable(a.type); !why.empty()) {
    out.verdict = plan_verdict::invalid;
    out.reason = why;
    return;
  }
  const emservice::action action{a.id, a.type, a.scope, a.target, a.desc, a.value_xml};
  auto valid = plugins.call(call_type::validate, action);
  if (!valid.ok) {
    out.verdict = plan_verdict::invalid;
    out.reason = valid.message;
    return;
  }
  auto check = plugins.call(call_type::check, action);
  if (!check.ok) {
    out.verdict = plan_verdict::check_failed;
    out.reason = check.message;
    return;
  }
  const bool there = check.state == emservice::check_state::in_effect;
  out.verdict = there ? plan_verdict::in_effect : plan_verdict::apply;
  out.reason = check.message.empty()
                   ? (there ? "in effect on this server" : "not in effect on this server")
                   : check.message;
}

}  // namespace

const char* to_string(plan_verdict verdict) {
  switch (verdict) {
    case plan_verdict::apply:
      return "Apply";
    case plan_verdict::in_effect:
      return "AlreadyInEffect";
    case plan_verdict::blocked:
      return "Blocked";
    case plan_verdict::not_applicable:
      return "NotApplicable";
    case plan_verdict::disabled:
      return "Disabled";
    case plan_verdict::invalid:
      return "Invalid";
    case plan_verdict::check_failed:
      return "CheckFailed";
  }
  return "Invalid";
}

std::vector<planned_action> plan_actions(const mitigation_document& document,
                                         const org_settings& org, const server_record& server,
                                         const server_identity& identity, plugin_calls& plugins) {
  std::vector<planned_action> out;
  for (const auto& d : decide_actions(document, org, server, identity)) {
    const auto& a = *d.action;
    planned_action p{a.id, a.type, a.desc, plan_verdict::apply, d.reason};
    switch (d.what) {
      case decision::disabled:
        p.verdict = plan_verdict::disabled;
        break;
      case decision::blocked:
        p.verdict = plan_verdict::blocked;
        break;
      case decision::not_applicable:
        p.verdict = plan_verdict::not_applicable;
        break;
      case decision::apply:
        ask_plugin(a, plugins, p);
        break;
    }
    out.push_back(std::move(p));
  }
  for (const auto& r : document.rejected)
    out.push_back({r.id, "", "", plan_verdict::invalid, "the Config is rejected: " + r.reason});
  return out;
}

}  // namespace em
