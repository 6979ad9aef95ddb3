#include "tools/emctl/rollback_runner.hpp"

#include <chrono>
#include <exception>
#include <memory>

#include "core/log/service_log.hpp"
#include "core/plugin/plugin_host.hpp"
#include "core/plugin/plugin_registry.hpp"
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

// Plugins are third-party code: what they throw is a failure, not a crash.
template <class Call>
emservice::outcome guarded(Call&& call, const char* what) {
  try {
    return call();
  } catch (const std::exception& e) {
    return emservice::outcome::failure(std::string(what) + " threw: " + e.what());
  } catch (...) {
    return emservice::outcome::failure(std::string(what) + " threw an unknown exception");
  }
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
  // The store outlives the registry here; plugin_host only wants to share it.
  std::shared_ptr<em::store> shared(&state_, [](em::store*) {});
  em::plugin_host host(
      shared, config_.server.name,
      [&](const std::string& plugin, emservice::log_level level, const std::string& text) {
        write(to_em(level), "[" + plugin + "] " + text);
      });
  auto registry =
      em::plugin_registry::load_directory(config_.plugins.dir, config_.plugins, config_.iis, &host);
  // As emsd refuses to start (SPEC 13), nothing is undone by the wrong plugin.
  if (!registry.conflicts().empty()) throw em::error(registry.conflicts().front());
  write(em::log_level::information,
        "Rolling back mitigation " + describe(action) + " at an administrator's request");

  emservice::outcome result;
  emservice::applier* applier = registry.find(action.type);
  if (!applier) {
    std::string why = "no plugin handles action type '" + action.type + "'";
    for (const auto& p : registry.problems())
      why += "; refused " + p.file.filename().string() + ": " + p.reason;
    result = emservice::outcome::failure(why);
  } else {
    result = guarded([&] { return applier->validate(action); }, "validate");
    if (!result.ok)
      result.message = "invalid action: " + result.message;
    else
      result = guarded([&] { return applier->rollback(action); }, "rollback");
  }
  if (result.ok)
    write(em::log_level::information, "Rolled back mitigation " + describe(action) +
                                          (result.message.empty() ? "" : ": " + result.message));
  else
    write(em::log_level::error,
          "Rollback of mitigation " + describe(action) + " failed: " + result.message);
  log.flush();
  return result;
}

}  // namespace emctl
