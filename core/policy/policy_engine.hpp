#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/log/log_record.hpp"
#include "core/model/mitigation_document.hpp"
#include "core/plugin/plugin_calls.hpp"
#include "core/policy/action_decision.hpp"
#include "core/store/store.hpp"

namespace em {

// What one policy step did: the new state, and what to tell the audit trail.
struct cycle_outcome {
  std::string result;  // one line for LastResult, e.g. "Completed: 1 applied, 0 failed"
  std::vector<std::string> applied;
  std::vector<std::string> newly_applied;  // not in MitigationsApplied before this cycle
  std::vector<action_status> statuses;
  std::vector<log_record> logs;
  std::vector<event_record> events;
};

// Decides and applies one verified document on this server (SPEC 4 steps 3-4):
// asks each action's plugin to validate and check it, applies what is not in
// effect, and records MitigationsApplied and the statuses in the store. A
// failing action (a plugin error, exception, crash or timeout, or a missing
// or refused plugin) becomes Failed with its reason and never stops the others.
class policy_engine {
 public:
  // `plugins` outlives the engine.
  policy_engine(em::store& store, plugin_calls& plugins, server_identity identity);

  // Throws em::store_error when the store cannot be read or written; nothing is
  // recorded then (the plugins may already have changed the host: the next
  // cycle's check sees that).
  // `origin` is the signed document the model was verified from; it becomes
  // the stored last good document, and its digest the accepted digest.
  cycle_outcome run(const mitigation_document& document, const stored_document& origin,
                    sys_time now);

  const server_identity& identity() const { return identity_; }

  // When `*flag` becomes true the current action finishes and the rest of the
  // cycle's actions are recorded Pending: a stop happens between actions,
  // never in the middle of one.
  void set_stop_flag(const std::atomic<bool>* flag) { stop_ = flag; }

 private:
  struct run_state;
  void run_action(const action_decision& d, run_state& st);
  void decide(const action_decision& d, action_status& status, run_state& st);
  std::optional<action_decision> decided_again(const action_decision& d, const run_state& st);
  void apply_through_plugin(const action_decision& d, action_status& status, run_state& st);
  void forget_if_undone(const action_decision& d, run_state& st);

  store& store_;
  plugin_calls& plugins_;
  server_identity identity_;
  const std::atomic<bool>* stop_ = nullptr;
};

}  // namespace em
