#pragma once

#include <atomic>
#include <chrono>
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
  // trust.verify_timeout: how long a cycle waits for the verification before
  // it is abandoned (event 1008) and the verifier is free for the next one.
  std::chrono::milliseconds timeout{10'000};
  // Abandoned verifications still running, beyond which a new document is
  // not started (event 1008) until one finishes: threads stay bounded.
  int max_abandoned = 2;
  // Each verification runs on a thread of its own, so the timeout can leave
  // it behind. false only under CAF's deterministic test scheduler, which
  // every actor must run on (the timeout still fires as its clock moves).
  bool own_thread = true;
};

struct verifier_state {
  static inline const char* name = "verifier";
  std::shared_ptr<const document_verifier> verifier;
  std::shared_ptr<em::store> store;
  verifier_settings settings;
  policy_actor policy;
  audit_actor audit;
  clock_function clock;
  std::shared_ptr<std::atomic<int>> running = std::make_shared<std::atomic<int>>(0);
};

// SPEC 4 step 2: proves who signed the fetched bytes and that they are fresh
// (not a rollback), builds the model from the verified bytes only, and hands it
// to the policy. A rejection ends the cycle with cycle_errc::rejected, logged
// and reported as event 1008; nothing in the store or on the host changes.
// The verification itself runs in a verification_worker: past
// settings.timeout the cycle ends with cycle_errc::timed_out (event 1008)
// while this actor keeps answering, so the schedule goes on (SPEC 3).
verifier_actor::behavior_type verifier(verifier_actor::stateful_pointer<verifier_state> self,
                                       std::shared_ptr<const document_verifier> verifier,
                                       std::shared_ptr<em::store> store, verifier_settings settings,
                                       policy_actor policy, audit_actor audit,
                                       clock_function clock);

}  // namespace em
