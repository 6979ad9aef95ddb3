#pragma once

#include <string>
#include <vector>

#include "core/model/mitigation_document.hpp"
#include "core/plugin/plugin_calls.hpp"
#include "core/policy/action_decision.hpp"
#include "core/store/store.hpp"

namespace em {

// What the next cycle would do with one action (SPEC 14, emctl plan).
enum class plan_verdict {
  apply,           // not in effect: the cycle applies it
  in_effect,       // already in effect: nothing to do (recorded as Applied)
  blocked,         // blocked by an administrator
  not_applicable,  // not for this product or build
  disabled,        // MitigationsEnabled is false (organisation or server)
  invalid,         // its Value, its Config or its plugin is not usable: it would fail
  check_failed,    // the plugin cannot tell whether it is in effect: it would fail
};

// "Apply", "AlreadyInEffect", "Blocked", "NotApplicable", "Disabled", "Invalid", "CheckFailed".
const char* to_string(plan_verdict verdict);

struct planned_action {
  std::string id;  // M1.1, or a Config ID (M3) for a Config the document's schema check rejected
  std::string type;
  std::string description;
  plan_verdict verdict = plan_verdict::apply;
  std::string reason;
};

// The cycle's decisions (SPEC 4 step 3) for `document` on this server, asking
// the plugins only to validate and check, in the cycle's order: nothing on
// the host or in the store changes.
std::vector<planned_action> plan_actions(const mitigation_document& document,
                                         const org_settings& org, const server_record& server,
                                         const server_identity& identity, plugin_calls& plugins);

}  // namespace em
