#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "actors/interfaces.hpp"
#include "core/log/event_sink.hpp"
#include "core/log/service_log.hpp"

namespace em {

using clock_function = std::function<sys_time()>;

struct audit_state {
  static inline const char* name = "audit";
  std::shared_ptr<service_log> log;
  std::shared_ptr<event_sink> events;  // may be null (tests, hosts without syslog)
  clock_function clock;
};

// Writes the service log and sends events (SPEC 8). The only actor that
// touches the log file, so lines never interleave.
audit_actor::behavior_type audit(audit_actor::stateful_pointer<audit_state> self,
                                 std::shared_ptr<service_log> log,
                                 std::shared_ptr<event_sink> events, clock_function clock);

// How the other stages talk to the audit actor. `self` is the sending actor,
// so one stage's lines keep their order.
template <class Self>
void send_log(Self self, const audit_actor& audit, log_operation op, log_level level,
              std::string message) {
  self->send(audit, log_atom::value, log_record{op, level, std::move(message)});
}

// An error the operator must hear of: an Error line and event 1008, same text.
template <class Self>
void send_error(Self self, const audit_actor& audit, log_operation op, std::string message) {
  send_log(self, audit, op, log_level::error, message);
  self->send(audit, event_atom::value,
             event_record{event_id::error, op, log_level::error, std::move(message)});
}

}  // namespace em
