#pragma once

#include <string>

namespace em {

enum class log_level { debug, information, warning, error };

// The operations of the service log (SPEC 8, and Notify for SPEC 14).
enum class log_operation {
  start,
  stop,
  fetch_mitigation,
  verify_mitigation,
  apply_mitigation,
  block_mitigation,
  send_diagnostics,
  notify,  // [notify]: a command run or a webhook POSTed after a change
};

// One line of the service log.
struct log_record {
  log_operation operation = log_operation::start;
  log_level level = log_level::information;
  std::string message;
};

// The event IDs of SPEC 4 step 5, as journald's EVENT_ID and the log's S:EventId.
enum class event_id : int {
  applied = 1005,          // a mitigation was applied (or found in effect and recorded)
  cycle_completed = 1006,  // a check cycle ran to its end
  blocked = 1007,          // a mitigation is blocked by an administrator
  error = 1008,            // anything that went wrong: fetch, verification, plugin, store
};

// An event for syslog/journald (SPEC 4 step 5), also mirrored in the service log.
struct event_record {
  event_id id = event_id::error;
  log_operation operation = log_operation::start;
  log_level level = log_level::information;
  std::string message;
};

const char* to_string(log_level level);          // Debug, Information, Warning, Error
const char* to_string(log_operation operation);  // Start, FetchMitigation, …
inline int number_of(event_id id) {
  return static_cast<int>(id);
}

}  // namespace em
