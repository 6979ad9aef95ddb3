#pragma once

#include "core/log/log_record.hpp"

namespace em {

// Sends events to journald, with EVENT_ID as a field, when it runs; else to
// syslog with the source "emservice" and the ID in the message
// ("EVENT_ID=1008 …"). Where neither listens nothing is lost: the audit actor
// mirrors every event in the service log.
class event_sink {
 public:
  event_sink();
  ~event_sink();
  event_sink(const event_sink&) = delete;
  event_sink& operator=(const event_sink&) = delete;

  void send(const event_record& event);

 private:
  bool journal_;
};

}  // namespace em
