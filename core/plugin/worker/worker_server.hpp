#pragma once

#include "core/config/service_config.hpp"

namespace em::worker {

// The plugin worker process's main loop: loads the plugins as `config` says
// (values kept in its store, log lines returned with each answer), says hello
// on `fd`, then answers requests until the channel closes. Returns the exit code.
int serve_plugins(int fd, const service_config& config);

}  // namespace em::worker
