#include "core/log/event_sink.hpp"

#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <string>

namespace em {
namespace {

constexpr const char* journal_socket = "/run/systemd/journal/socket";

int priority_of(log_level level) {
  switch (level) {
    case log_level::error:
      return LOG_ERR;
    case log_level::warning:
      return LOG_WARNING;
    case log_level::debug:
      return LOG_DEBUG;
    case log_level::information:
      break;
  }
  return LOG_INFO;
}

}  // namespace

event_sink::event_sink() : journal_(::access(journal_socket, W_OK) == 0) {
  if (!journal_) ::openlog("emservice", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

event_sink::~event_sink() {
  if (!journal_) ::closelog();
}

void event_sink::send(const event_record& event) {
  int priority = priority_of(event.level);
  if (journal_) {
    // Structured: `journalctl EVENT_ID=1008` finds every error event.
    int rc = sd_journal_send("MESSAGE=%s", event.message.c_str(), "PRIORITY=%d", priority,
                             "SYSLOG_IDENTIFIER=emservice", "EVENT_ID=%d", number_of(event.id),
                             "EM_OPERATION=%s", to_string(event.operation), nullptr);
    if (rc >= 0) return;
  }
  ::syslog(priority, "EVENT_ID=%d %s: %s", number_of(event.id), to_string(event.operation),
           event.message.c_str());
}

}  // namespace em
