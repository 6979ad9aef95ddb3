#include "core/log/event_sink.hpp"

#include <syslog.h>

namespace em {

event_sink::event_sink() {
  ::openlog("emservice", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

event_sink::~event_sink() {
  ::closelog();
}

void event_sink::send(const event_record& event) {
  int priority = LOG_INFO;
  if (event.level == log_level::warning) priority = LOG_WARNING;
  if (event.level == log_level::error) priority = LOG_ERR;
  ::syslog(priority, "EVENT_ID=%d %s: %s", event.id, to_string(event.operation),
           event.message.c_str());
}

}  // namespace em
