#pragma once

#include <string>

#include <emservice/plugin.hpp>

#include "core/config/service_config.hpp"
#include "core/store/store.hpp"

namespace emctl {

// Calls the rollback of one action through the plugin that handles its type,
// loaded from the configured plugin directory exactly as emsd loads it (same
// settings, same store-backed plugin values), and writes what happened to the
// service log (operation ApplyMitigation), the plugin's own lines included.
class rollback_runner {
 public:
  rollback_runner(const em::service_config& config, em::store& state)
      : config_(config), state_(state) {}

  // The plugin's outcome; a missing plugin, an invalid action or a plugin
  // that throws is a failed outcome with the reason.
  emservice::outcome run(const emservice::action& action);

 private:
  const em::service_config& config_;
  em::store& state_;
};

}  // namespace emctl
