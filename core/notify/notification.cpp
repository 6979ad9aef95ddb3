#include "core/notify/notification.hpp"

#include <nlohmann/json.hpp>

namespace em {

std::string notification::to_json() const {
  auto list = nlohmann::ordered_json::array();
  for (const auto& a : actions)
    list.push_back({{"ID", a.id},
                    {"Type", a.type},
                    {"Description", a.description},
                    {"Status", a.status},
                    {"Reason", a.reason}});
  nlohmann::ordered_json j = {
      {"Event", event},   {"Time", format_rfc3339(at)}, {"Server", server},
      {"User", user},     {"Result", result},           {"Applied", applied},
      {"Failed", failed}, {"RolledBack", rolled_back},  {"Actions", std::move(list)}};
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::optional<notification> cycle_notification(const cycle_outcome& outcome,
                                               const std::string& server, sys_time at) {
  notification n{"Cycle", at, server, {}, outcome.result, outcome.newly_applied, {}, {}, {}};
  for (const auto& s : outcome.statuses) {
    n.actions.push_back({s.action_id, s.type, s.description, to_string(s.state), s.reason});
    if (s.state == action_state::failed) n.failed.push_back(s.action_id);
  }
  if (n.applied.empty() && n.failed.empty()) return std::nullopt;
  return n;
}

notification rollback_notification(const std::string& server, const notified_action& action,
                                   bool ok, const std::string& result, const std::string& user,
                                   sys_time at) {
  notification n{"Rollback", at, server, user, result, {}, {}, {}, {action}};
  (ok ? n.rolled_back : n.failed).push_back(action.id);
  return n;
}

}  // namespace em
