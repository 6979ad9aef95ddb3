#include "core/policy/action_decision.hpp"

#include <algorithm>

namespace em {

bool is_blocked(const std::vector<std::string>& blocked, const std::string& config_id,
                const std::string& action_id) {
  return std::any_of(blocked.begin(), blocked.end(),
                     [&](const std::string& id) { return id == config_id || id == action_id; });
}

namespace {

std::string applicability_reason(const mitigation& m, const server_identity& identity) {
  if (!identity.build)
    return "this server's build is not configured (server.build), and " + m.id +
           " is limited to some builds";
  return m.id + " does not apply to " + identity.product + " " + identity.build->to_string();
}

}  // namespace

std::vector<action_decision> decide_actions(const mitigation_document& document,
                                            const org_settings& org, const server_record& server,
                                            const server_identity& identity) {
  std::vector<action_decision> out;
  for (const auto& m : document.mitigations) {
    bool applicable =
        !m.has_applicability || (identity.build && m.applies_to(identity.product, *identity.build));
    for (const auto& a : m.actions) {
      action_decision d{&m, &a, decision::apply, {}};
      if (!org.mitigations_enabled) {
        d.what = decision::disabled;
        d.reason = "MitigationsEnabled is false for the organisation";
      } else if (!server.mitigations_enabled) {
        d.what = decision::disabled;
        d.reason = "MitigationsEnabled is false for server " + server.name;
      } else if (is_blocked(server.blocked, m.id, a.id)) {
        d.what = decision::blocked;
        d.reason = "blocked by an administrator (MitigationsBlocked)";
      } else if (!applicable) {
        d.what = decision::not_applicable;
        d.reason = applicability_reason(m, identity);
      }
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace em
