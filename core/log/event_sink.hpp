#pragma once

#include "core/log/log_record.hpp"

namespace em {

// Sends events to the host's system log with the source "emservice" and the
// event ID in the message ("EVENT_ID=1008 …"). Where no syslog daemon listens,
// nothing is lost: the audit actor mirrors every event in the service log.
class event_sink {
 public:
  event_sink();
  ~event_sink();
  event_sink(const event_sink&) = delete;
  event_sink& operator=(const event_sink&) = delete;

  void send(const event_record& event);
};

}  // namespace em
