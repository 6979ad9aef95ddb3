#pragma once

#include <memory>
#include <string>

#include "actors/audit_actor.hpp"
#include "actors/interfaces.hpp"
#include "core/notify/notifier.hpp"
#include "core/store/store.hpp"

namespace em {

struct notify_state {
  static inline const char* name = "notify";
  std::shared_ptr<const em::notifier> notifier;
  std::shared_ptr<em::store> store;  // for the server's InternetWebProxy
  std::string server_name;
  audit_actor audit;
};

// SPEC 14: tells [notify] of each cycle that applied or failed something.
// Running a command or a POST blocks (up to notify.timeout each), so the
// service spawns this actor detached: the cycle that sent the notification
// has already answered. A failing notifier is logged (operation Notify) and
// never retried: the next change brings the next notification.
notify_actor::behavior_type notify(notify_actor::stateful_pointer<notify_state> self,
                                   std::shared_ptr<const notifier> notifier,
                                   std::shared_ptr<em::store> store, std::string server_name,
                                   audit_actor audit);

}  // namespace em
