#pragma once

#include <string>

namespace em {

enum class log_level { debug, information, warning, error };

// The operations of the service log (SPEC 8).
enum class log_operation {
  start,
  stop,
  fetch_mitigation,
  verify_mitigation,
  apply_mitigation,
  block_mitigation,
  send_diagnostics
};

// One line of the service log.
struct log_record {
  log_operation operation = log_operation::start;
  log_level level = log_level::information;
  std::string message;
};

// An event for syslog/journald (SPEC 4 step 5), also mirrored in the service log.
struct event_record {
  int id = 0;  // 1005 applied, 1006 cycle completed, 1007 blocked, 1008 error
  log_operation operation = log_operation::start;
  log_level level = log_level::information;
  std::string message;
};

const char* to_string(log_level level);          // Debug, Information, Warning, Error
const char* to_string(log_operation operation);  // Start, FetchMitigation, …

}  // namespace em
