#pragma once

#include <memory>

#include "actors/audit_actor.hpp"
#include "actors/interfaces.hpp"
#include "core/policy/policy_engine.hpp"

namespace em {

struct policy_state {
  static inline const char* name = "policy";
  std::shared_ptr<policy_engine> engine;
  audit_actor audit;
  clock_function clock;
  notify_actor notify;  // may be invalid: [notify] is not configured
};

// SPEC 4 steps 3-5: decides and applies a verified document through the
// plugins, records the outcome, and tells the audit actor what happened; and
// the notify actor (SPEC 14) when the cycle applied or failed something,
// without waiting for it.
policy_actor::behavior_type policy(policy_actor::stateful_pointer<policy_state> self,
                                   std::shared_ptr<policy_engine> engine, audit_actor audit,
                                   clock_function clock, notify_actor notify);

}  // namespace em
