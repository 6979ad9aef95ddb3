#include "plugins/service/systemctl.hpp"

#include <vector>

#include "plugins/common/host_command.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"

namespace emservice_plugin {

bool unit_state::running() const {
  // Anything but a settled stop: a unit on its way down still runs.
  return active != "inactive" && active != "failed" && active != "dead";
}

bool unit_state::masked() const {
  return enabled.rfind("masked", 0) == 0;
}

bool unit_state::disabled_or_masked() const {
  return enabled == "disabled" || masked();
}

std::string systemctl::query(const std::string& verb, const std::string& unit) const {
  // is-active and is-enabled answer on stdout and signal "no" by their exit
  // code, so only a missing answer is a failure.
  std::vector<std::string> argv{program_, verb, unit};
  auto r = emplugin::run_command(*host_, argv, timeout_);
  std::string answer = emplugin::trim(r.out.substr(0, r.out.find('\n')));
  if (!r.started || r.timed_out || r.signal || answer.empty() ||
      answer.find(' ') != std::string::npos)
    throw emplugin::plugin_error(emplugin::describe_failure(argv, r));
  return answer;
}

unit_state systemctl::state(const std::string& unit) const {
  return {query("is-active", unit), query("is-enabled", unit)};
}

std::string systemctl::run(const std::string& verb, const std::string& unit) const {
  std::vector<std::string> argv{program_, verb, unit};
  auto r = emplugin::run_command(*host_, argv, timeout_);
  if (!r.ok()) throw emplugin::plugin_error(emplugin::describe_failure(argv, r));
  return verb;
}

}  // namespace emservice_plugin
