#pragma once

#include <memory>
#include <string>

#include "actors/audit_actor.hpp"
#include "actors/interfaces.hpp"
#include "core/store/store.hpp"
#include "core/trust/document_verifier.hpp"

namespace em {

struct verifier_settings {
  std::string server_name;  // whose highest accepted sequence applies
  bool require_sequence = true;
};

struct verifier_state {
  static inline const char* name = "verifier";
  std::shared_ptr<const document_verifier> verifier;
  std::shared_ptr<store> state;
  verifier_settings settings;
  policy_actor policy;
  audit_actor audit;
  clock_function clock;
};

// SPEC 4 step 2: proves who signed the fetched bytes and that they are fresh
// (not a rollback), builds the model from the verified bytes only, and hands it
// to the policy. A rejection ends the cycle with cycle_errc::rejected, logged
// and reported as event 1008; nothing in the store or on the host changes.
verifier_actor::behavior_type verifier(verifier_actor::stateful_pointer<verifier_state> self,
                                       std::shared_ptr<const document_verifier> verifier,
                                       std::shared_ptr<store> state, verifier_settings settings,
                                       policy_actor policy, audit_actor audit,
                                       clock_function clock);

}  // namespace em
