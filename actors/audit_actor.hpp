#pragma once

#include <functional>
#include <memory>

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

}  // namespace em
