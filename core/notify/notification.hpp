#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/policy/policy_engine.hpp"
#include "core/store/store.hpp"
#include "core/util/time_util.hpp"

namespace em {

// What [notify] is told (SPEC 14), as one JSON object:
//   {"Event":"Cycle","Time":"…","Server":"EX01","User":"","Result":"Completed: …",
//    "Applied":["M1.1"],"Failed":[],"RolledBack":[],
//    "Actions":[{"ID":"M1.1","Type":"UrlRewrite","Description":"…","Status":"Applied","Reason":""}]}
struct notified_action {
  std::string id;
  std::string type;
  std::string description;
  std::string status;  // a cycle's: Applied, Failed, …; a rollback's: RolledBack or RollbackFailed
  std::string reason;
};

struct notification {
  std::string event;  // "Cycle" or "Rollback"
  sys_time at{};
  std::string server;
  std::string user;                      // who asked (emctl rollback); empty for a cycle
  std::string result;                    // the cycle's result line, or what the rollback did
  std::vector<std::string> applied;      // newly applied this cycle
  std::vector<std::string> failed;       // action IDs that failed
  std::vector<std::string> rolled_back;  // action IDs rolled back
  std::vector<notified_action> actions;  // each action's status after it

  std::string to_json() const;
};

// A cycle's notification, or nothing when the cycle applied nothing new and
// nothing failed: the hourly "all is as it was" is not news.
std::optional<notification> cycle_notification(const cycle_outcome& outcome,
                                               const std::string& server, sys_time at);

// What emctl rollback did with one action (its status RolledBack or RollbackFailed).
notification rollback_notification(const std::string& server, const notified_action& action,
                                   bool ok, const std::string& result, const std::string& user,
                                   sys_time at);

}  // namespace em
