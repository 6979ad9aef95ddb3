#pragma once

// Stand-ins for collaborators, with the same typed interfaces as the real
// actors, that record what they receive and answer as told.

#include <memory>
#include <optional>
#include <vector>

#include "actors/errors.hpp"
#include "actors/interfaces.hpp"

namespace em::test {

struct audit_journal {
  std::vector<log_record> logs;
  std::vector<event_record> events;

  bool logged(log_level level, const std::string& text) const {
    for (auto& l : logs)
      if (l.level == level && l.message.find(text) != std::string::npos) return true;
    return false;
  }
  int count_events(event_id id) const {
    int n = 0;
    for (auto& e : events)
      n += e.id == id;
    return n;
  }
};

inline audit_actor::behavior_type mock_audit(audit_actor::pointer,
                                             std::shared_ptr<audit_journal> journal) {
  return {
      [=](log_atom, const log_record& r) { journal->logs.push_back(r); },
      [=](event_atom, const event_record& e) { journal->events.push_back(e); },
      [=](flush_atom) { return true; },
  };
}

// A notify actor that keeps what it is told.
inline notify_actor::behavior_type mock_notify(notify_actor::pointer,
                                               std::shared_ptr<std::vector<notification>> told) {
  return {
      [=](notify_atom, const notification& n) { told->push_back(n); },
      [=](flush_atom) { return true; },
  };
}

// What a mock next stage answers: a report, or an error when `fail` is set.
struct stage_script {
  std::optional<caf::error> fail;
  cycle_report report{{}, "Completed: scripted", {"PING1.1"}, {}};
  std::vector<fetched_document> fetched;    // what a mock verifier received
  std::vector<verified_document> verified;  // what a mock policy received
  int runs = 0;                             // what a mock fetcher received
  std::vector<fetched_document> handed;     // documents a mock fetcher was handed (long-poll)
  int replays = 0;                          // decision passes a mock fetcher was asked for
  // A mock fetcher holds its answers here until the test releases them.
  bool hold = false;
  std::vector<caf::typed_response_promise<cycle_report>> held;
};

inline verifier_actor::behavior_type mock_verifier(verifier_actor::pointer,
                                                   std::shared_ptr<stage_script> script) {
  return {[=](verify_atom, const fetched_document& doc) -> caf::result<cycle_report> {
    script->fetched.push_back(doc);
    if (script->fail) return *script->fail;
    return script->report;
  }};
}

inline policy_actor::behavior_type mock_policy(policy_actor::pointer,
                                               std::shared_ptr<stage_script> script) {
  return {[=](apply_atom, const verified_document& doc) -> caf::result<cycle_report> {
    script->verified.push_back(doc);
    if (script->fail) return *script->fail;
    return script->report;
  }};
}

using release_atom = caf::atom_constant<caf::atom("release")>;

// A fetcher that can also be told to answer the requests it holds; its handle
// converts to fetcher_actor, so the timer cannot tell it from the real one.
using mock_fetcher_actor = fetcher_actor::extend<caf::reacts_to<release_atom>>;

inline mock_fetcher_actor::behavior_type mock_fetcher(mock_fetcher_actor::pointer self,
                                                      std::shared_ptr<stage_script> script) {
  auto answer = [=]() -> caf::result<cycle_report> {
    ++script->runs;
    if (script->hold) {
      auto promise = self->make_response_promise<cycle_report>();
      script->held.push_back(promise);
      return promise;
    }
    if (script->fail) return *script->fail;
    return script->report;
  };
  return {
      [=](run_atom) { return answer(); },
      [=](run_atom, const fetched_document& doc) {
        script->handed.push_back(doc);
        return answer();
      },
      [=](replay_atom) -> caf::result<cycle_report> {
        ++script->replays;
        if (script->fail) return *script->fail;
        return script->report;
      },
      // Promises are delivered from the actor that made them.
      [=](release_atom) {
        for (auto& p : script->held)
          p.deliver(script->report);
        script->held.clear();
      },
  };
}

}  // namespace em::test
