#include "plugins/service/service_applier.hpp"

#include <regex>
#include <vector>

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/settings_reader.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/value_element.hpp"

namespace emservice_plugin {
namespace {

using emplugin::plugin_error;

struct service_value {
  std::string name;
  bool mask = false;
};

service_value parse_value(const emservice::action& a) {
  auto attrs = emplugin::parse_value_element(a.value_xml, "DisableService", "Service",
                                             {"name", "mask"}, {"name"});
  service_value v{emplugin::trim(attrs["name"]), false};
  // A unit name as systemd spells them; never something systemctl could read as an option.
  static const std::regex unit_name("[A-Za-z0-9_.@:\\\\][A-Za-z0-9_.@:\\\\-]{0,254}");
  if (!std::regex_match(v.name, unit_name))
    throw plugin_error("<Service> name " + emplugin::quoted(v.name) + " is not a service name");
  if (attrs.count("mask")) v.mask = emplugin::parse_flag(attrs["mask"], "<Service> mask");
  return v;
}

std::string memo_key(const service_value& v) {
  return "service " + v.name;
}

std::string memo_of(const unit_state& s) {
  return s.active + "\n" + s.enabled;
}

std::optional<unit_state> memo_state(const std::optional<std::string>& memo) {
  if (!memo) return std::nullopt;
  auto nl = memo->find('\n');
  if (nl == std::string::npos) return std::nullopt;
  return unit_state{memo->substr(0, nl), memo->substr(nl + 1)};
}

bool in_effect(const unit_state& s, bool mask) {
  return !s.running() && (mask ? s.masked() : s.disabled_or_masked());
}

std::string describe(const unit_state& s) {
  return s.active + " and " + s.enabled;
}

// Runs `systemctl <verb> <unit>` for each verb in turn; a failure says what
// had already been done.
std::string run_steps(const systemctl& manager, const std::string& unit,
                      const std::vector<std::string>& verbs) {
  std::string done;
  for (const auto& verb : verbs) {
    try {
      manager.run(verb, unit);
    } catch (const plugin_error& e) {
      throw plugin_error((done.empty() ? "" : "ran " + done + ", but ") + e.what());
    }
    done += (done.empty() ? "" : ", ") + verb;
  }
  return manager.program() + " " + (done.empty() ? std::string("nothing") : done);
}

}  // namespace

std::unique_ptr<service_applier> service_applier::create(const emservice::host_context& context) {
  emplugin::settings_reader settings(context);
  return std::unique_ptr<service_applier>(new service_applier(
      systemctl(context.host, settings.absolute_path("systemctl").value_or("/usr/bin/systemctl"),
                settings.duration("timeout", std::chrono::seconds(60))),
      context.host));
}

void service_applier::do_validate(const emservice::action& a) {
  if (a.type != "DisableService")
    throw plugin_error("the service plugin handles DisableService, not '" + a.type + "'");
  parse_value(a);
}

emservice::check_result service_applier::do_check(const emservice::action& a) {
  auto v = parse_value(a);
  auto s = systemctl_.state(v.name);
  return {in_effect(s, v.mask) ? emservice::check_state::in_effect
                               : emservice::check_state::not_in_effect,
          "service " + v.name + " is " + describe(s)};
}

std::string service_applier::do_apply(const emservice::action& a) {
  auto v = parse_value(a);
  auto before = systemctl_.state(v.name);
  // Only the state before the first apply is worth restoring.
  if (!host_->load_value(memo_key(v))) host_->save_value(memo_key(v), memo_of(before));
  std::vector<std::string> verbs{"stop", "disable"};
  if (v.mask) verbs.push_back("mask");
  const std::string ran = run_steps(systemctl_, v.name, verbs);
  return "service " + v.name + " was " + describe(before) + "; ran " + ran;
}

std::string service_applier::do_rollback(const emservice::action& a) {
  auto v = parse_value(a);
  auto memo = memo_state(host_->load_value(memo_key(v)));
  // Without a record the service changed nothing (the unit was already
  // stopped and disabled when the mitigation came): nothing is its to undo.
  if (!memo)
    return "service " + v.name +
           ": EM Service has no record of changing it (it was already stopped and disabled when "
           "the mitigation came, or was changed by someone else): left as it is";
  // Only what apply changed comes back: a unit stopped before is not started,
  // one disabled before is not enabled, one masked before stays masked.
  std::vector<std::string> verbs;
  if (v.mask && !memo->masked()) verbs.push_back("unmask");
  if (memo->enabled == "enabled" || memo->enabled == "enabled-runtime") verbs.push_back("enable");
  if (memo->running()) verbs.push_back("start");
  const std::string ran =
      verbs.empty() ? "nothing to put back" : "ran " + run_steps(systemctl_, v.name, verbs);
  host_->erase_value(memo_key(v));
  return "service " + v.name + ": it was " + describe(*memo) + " before the mitigation; " + ran;
}

}  // namespace emservice_plugin
