#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/config/service_config.hpp"
#include "core/store/store.hpp"

namespace emctl {

// Shared by every emctl command: the configuration and the store are opened
// only when a command needs them, so `emctl verify --anchor …` works without
// a configuration file.
//
// Commands report failure by throwing: em::invalid_input (bad usage or input,
// exit 2), any other em::error (exit 1). Success paths set exit_code (0, or 1
// for a negative answer such as "Rejected").
class context {
 public:
  std::string config_path;  // --config, default /etc/emservice/emsd.conf
  int exit_code = 0;

  const em::service_config& config();
  em::store& store();
  // The store when its file exists, else nullptr: for commands that must
  // change nothing, not even create an empty store (emctl plan, plugins).
  em::store* existing_store();
  // The administrator, from the OS (SUDO_USER when run through sudo).
  std::string user() const;

 private:
  std::optional<em::service_config> config_;
  std::unique_ptr<em::store> store_;
};

}  // namespace emctl
