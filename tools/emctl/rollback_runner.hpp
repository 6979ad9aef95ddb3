#pragma once

#include <emservice/action.hpp>

#include "core/config/service_config.hpp"

namespace emctl {

// Calls the rollback of one action through the plugin that handles its type,
// in a plugin worker exactly as emsd calls it (same loading, settings, store
// of plugin values, containment and call_timeout), and writes what happened
// to the service log (operation ApplyMitigation), the plugin's lines included.
class rollback_runner {
 public:
  explicit rollback_runner(const em::service_config& config) : config_(config) {}

  // The plugin's outcome; a missing or refused plugin, an invalid action, or
  // a plugin that throws, crashes or hangs is a failed outcome with the
  // reason, worded as emsd words it. Throws em::error when the plugin worker
  // cannot run at all.
  emservice::outcome run(const emservice::action& action);

 private:
  const em::service_config& config_;
};

}  // namespace emctl
