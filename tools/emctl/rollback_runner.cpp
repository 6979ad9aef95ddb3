#include "tools/emctl/rollback_runner.hpp"

#include <chrono>

#include "core/log/service_log.hpp"
#include "core/plugin/worker/plugin_client.hpp"
#include "core/util/error.hpp"

namespace emctl {
namespace {

em::sys_time now() {
  return std::chrono::system_clock::now();
}

em::log_level to_em(emservice::log_level level) {
  switch (level) {
    case emservice::log_level::debug:
      return em::log_level::debug;
    case emservice::log_level::information:
      return em::log_level::information;
    case emservice::log_level::warning:
      return em::log_level::warning;
    case emservice::log_level::error:
      return em::log_level::error;
  }
  return em::log_level::information;
}

std::string describe(const emservice::action& a) {
  return a.id + " (" + a.type + (a.target.empty() ? "" : ", " + a.target) + ")";
}

}  // namespace

emservice::outcome rollback_runner::run(const emservice::action& action) {
  em::service_log log(config_.log.dir, config_.log.level);
  auto write = [&](em::log_level level, const std::string& message) {
    log.write(em::log_record{em::log_operation::apply_mitigation, level, message}, now());
  };
  em::plugin_client plugins(
      em::worker_setup_of(config_), em::find_plugin_worker(),
      [&](const std::string& plugin, emservice::log_level level, const std::string& text) {
        write(to_em(level), "[" + plugin + "] " + text);
      });
  plugins.start();
  // As emsd refuses to start (SPEC 13), nothing is undone by the wrong plugin.
  if (!plugins.loaded().conflicts.empty()) throw em::error(plugins.loaded().conflicts.front());
  write(em::log_level::information,
        "Rolling back mitigation " + describe(action) + " at an administrator's request");

  em::call_result result;
  if (auto why = plugins.unavailable(action.type); !why.empty()) {
    result.message = why;
  } else {
    result = plugins.call(em::call_type::validate, action);
    if (!result.ok)
      result.message = "invalid action: " + result.message;
    else
      result = plugins.call(em::call_type::rollback, action);
  }
  if (result.ok)
    write(em::log_level::information, "Rolled back mitigation " + describe(action) +
                                          (result.message.empty() ? "" : ": " + result.message));
  else
    write(em::log_level::error,
          "Rollback of mitigation " + describe(action) + " failed: " + result.message);
  log.flush();
  return result.outcome();
}

}  // namespace emctl
