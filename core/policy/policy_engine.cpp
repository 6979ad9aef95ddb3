#include "core/policy/policy_engine.hpp"

#include <algorithm>
#include <set>

#include "core/util/error.hpp"

namespace em {

struct policy_engine::run_state {
  const mitigation_document* document = nullptr;
  sys_time now;
  std::set<std::string> previously_applied;
  std::set<std::string> applied;
  cycle_outcome out;
  int failed = 0, blocked = 0, not_applicable = 0, disabled = 0;

  void log(log_operation op, log_level level, std::string message) {
    out.logs.push_back({op, level, std::move(message)});
  }
  void event(event_id id, log_operation op, log_level level, std::string message) {
    out.events.push_back({id, op, level, std::move(message)});
  }
};

namespace {

emservice::action to_sdk(const mitigation_action& a) {
  return {a.id, a.type, a.scope, a.target, a.desc, a.value_xml};
}

std::string describe(const mitigation_action& a) {
  std::string s = a.id + " (" + a.type;
  if (!a.target.empty()) s += ", " + a.target;
  return s + ")";
}

}  // namespace

policy_engine::policy_engine(em::store& store, plugin_calls& plugins, server_identity identity)
    : store_(store), plugins_(plugins), identity_(std::move(identity)) {}

cycle_outcome policy_engine::run(const mitigation_document& document, const stored_document& origin,
                                 sys_time now) {
  auto [org, server] = store_.read_decision_inputs(identity_.name);
  if (!server) throw store_error("server '" + identity_.name + "' is not registered in the store");

  run_state st;
  st.document = &document;
  st.now = now;
  st.previously_applied.insert(server->applied.begin(), server->applied.end());
  // What is not decided again below (a Config that left the document, or one
  // rejected by the schema check) keeps its place: its change is still on the host.
  st.applied = st.previously_applied;

  if (!org.mitigations_enabled)
    st.log(log_operation::apply_mitigation, log_level::information,
           "MitigationsEnabled is false for the organisation: no mitigation is applied on any "
           "server");
  else if (!server->mitigations_enabled)
    st.log(log_operation::apply_mitigation, log_level::information,
           "MitigationsEnabled is false for server " + server->name +
               ": no mitigation is applied on this server");

  int stopped = 0;
  for (const auto& d : decide_actions(document, org, *server, identity_)) {
    if (stop_ && stop_->load()) {
      st.out.statuses.push_back({identity_.name, d.action->id, d.action->type, d.action->desc,
                                 action_state::pending, "not run: the service is stopping", now});
      ++stopped;
      continue;
    }
    run_action(d, st);
  }
  if (stopped)
    st.log(log_operation::apply_mitigation, log_level::warning,
           "The service is stopping: " + std::to_string(stopped) +
               " action(s) left Pending until the next cycle");

  st.out.applied.assign(st.applied.begin(), st.applied.end());
  for (const auto& id : st.out.applied)
    if (!st.previously_applied.count(id)) st.out.newly_applied.push_back(id);
  const auto newly = st.out.newly_applied.size();
  st.out.result = "Completed: " + std::to_string(st.out.applied.size()) + " applied (" +
                  std::to_string(newly) + " new), " + std::to_string(st.failed) + " failed, " +
                  std::to_string(st.blocked) + " blocked, " + std::to_string(st.not_applicable) +
                  " not applicable, " + std::to_string(st.disabled) + " disabled";

  cycle_record record;
  record.checked_at = now;
  record.result = st.out.result;
  record.applied = st.out.applied;
  record.statuses = st.out.statuses;
  record.accepted_sequence = document.sequence;
  record.accepted_digest = origin.digest;
  record.document = origin;
  store_.record_cycle(identity_.name, record);

  st.event(event_id::cycle_completed, log_operation::apply_mitigation,
           st.failed ? log_level::warning : log_level::information,
           "Mitigation check cycle completed on " + identity_.name + ". " + st.out.result);
  return std::move(st.out);
}

void policy_engine::run_action(const action_decision& d, run_state& st) {
  action_status status{identity_.name,        d.action->id, d.action->type, d.action->desc,
                       action_state::pending, d.reason,     st.now};
  decide(d, status, st);
  st.out.statuses.push_back(std::move(status));
}

void policy_engine::decide(const action_decision& d, action_status& status, run_state& st) {
  const auto& a = *d.action;
  switch (d.what) {
    case decision::disabled:
      status.state = action_state::disabled;
      ++st.disabled;
      forget_if_undone(d, st);
      break;
    case decision::blocked:
      status.state = action_state::blocked;
      ++st.blocked;
      forget_if_undone(d, st);
      st.log(log_operation::block_mitigation, log_level::warning,
             "Mitigation " + describe(a) + " is blocked by an administrator: not applied");
      st.event(event_id::blocked, log_operation::block_mitigation, log_level::warning,
               "Mitigation " + a.id + " is blocked by an administrator on " + identity_.name);
      break;
    case decision::not_applicable:
      status.state = action_state::not_applicable;
      ++st.not_applicable;
      if (st.applied.erase(a.id))
        st.log(log_operation::apply_mitigation, log_level::information,
               "Mitigation " + a.id + " no longer applies (" + d.reason +
                   "): removed from MitigationsApplied; its change on the host is left in place");
      break;
    case decision::apply:
      apply_through_plugin(d, status, st);
      break;
  }
}

// The settings as they are now, in case an administrator blocked or disabled
// the action since the cycle began (SPEC 11: a block added before a
// mitigation is applied keeps it from being applied). Read only for an action
// about to change the host, so a cycle with nothing to do reads nothing more.
std::optional<action_decision> policy_engine::decided_again(const action_decision& d,
                                                            const run_state& st) {
  const auto [org, server] = store_.read_decision_inputs(identity_.name);
  if (!server) throw store_error("server '" + identity_.name + "' is no longer in the store");
  for (auto& now : decide_actions(*st.document, org, *server, identity_))
    if (now.action == d.action && now.what != decision::apply) return now;
  return std::nullopt;
}

// An action that is not applied this cycle (disabled, blocked) stays in
// MitigationsApplied while its change is on the host; once an administrator
// rolled it back, the list says so too. Only check() is asked: it changes nothing.
void policy_engine::forget_if_undone(const action_decision& d, run_state& st) {
  const auto& a = *d.action;
  if (!st.applied.count(a.id) || !plugins_.unavailable(a.type).empty()) return;
  auto sdk_action = to_sdk(a);
  if (!plugins_.call(call_type::validate, sdk_action).ok) return;
  auto check = plugins_.call(call_type::check, sdk_action);
  if (!check.ok || check.state != emservice::check_state::not_in_effect) return;
  st.applied.erase(a.id);
  st.log(log_operation::apply_mitigation, log_level::information,
         "Mitigation " + describe(a) + " is no longer in effect (" + d.reason +
             "): removed from MitigationsApplied");
}

void policy_engine::apply_through_plugin(const action_decision& d, action_status& status,
                                         run_state& st) {
  const auto& a = *d.action;
  auto fail = [&](const std::string& reason) {
    status.state = action_state::failed;
    status.reason = reason;
    ++st.failed;
    st.applied.erase(a.id);
    st.log(log_operation::apply_mitigation, log_level::error,
           "Mitigation " + describe(a) + " failed: " + reason);
    st.event(event_id::error, log_operation::apply_mitigation, log_level::error,
             "Mitigation " + a.id + " failed on " + identity_.name + ": " + reason);
  };
  if (auto why = plugins_.unavailable(a.type); !why.empty()) return fail(why);
  auto sdk_action = to_sdk(a);
  auto valid = plugins_.call(call_type::validate, sdk_action);
  if (!valid.ok) return fail("invalid action: " + valid.message);
  auto check = plugins_.call(call_type::check, sdk_action);
  if (!check.ok) return fail("check: " + check.message);
  if (check.state == emservice::check_state::in_effect) {
    status.state = action_state::applied;
    st.applied.insert(a.id);
    if (st.previously_applied.count(a.id)) {
      st.log(log_operation::apply_mitigation, log_level::debug,
             "Mitigation " + describe(a) + " is in effect");
      return;
    }
    // In effect without our doing (PING, or a change made by hand): it enters
    // MitigationsApplied now, which operators learn from event 1005 as usual.
    st.log(
        log_operation::apply_mitigation, log_level::information,
        "Mitigation " + describe(a) + " is already in effect on this server: recorded as applied");
    st.event(event_id::applied, log_operation::apply_mitigation, log_level::information,
             "Mitigation " + a.id + " (" + d.config->desc + ") is applied on " + identity_.name);
    return;
  }
  if (st.previously_applied.count(a.id))
    st.log(log_operation::apply_mitigation, log_level::warning,
           "Mitigation " + describe(a) +
               " was applied before but is no longer in effect (undone on the host?): "
               "applying it again");
  if (auto late = decided_again(d, st)) {
    status.reason = late->reason;
    return decide(*late, status, st);
  }
  auto applied = plugins_.call(call_type::apply, sdk_action);
  if (!applied.ok) return fail(applied.message);
  status.state = action_state::applied;
  status.reason.clear();
  st.applied.insert(a.id);
  std::string detail = applied.message.empty() ? "" : ": " + applied.message;
  st.log(log_operation::apply_mitigation, log_level::information,
         "Applied mitigation " + describe(a) + detail);
  st.event(event_id::applied, log_operation::apply_mitigation, log_level::information,
           "Mitigation " + a.id + " (" + d.config->desc + ") was applied on " + identity_.name);
}

}  // namespace em
