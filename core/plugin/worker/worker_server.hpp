#pragma once

#include <chrono>

namespace em::worker {

// The plugin worker process's main loop (emsd-plugin-worker): reads its setup
// from `fd` (what to load, from the configuration its client validated),
// loads the plugins saying which file it is at, says hello, then answers
// calls through the one exception guard until the channel closes. Plugin
// values are kept in the setup's store, log lines returned with each answer.
// Returns the exit code; throws em::error for a setup it cannot use.
int serve_plugins(int fd, std::chrono::milliseconds setup_timeout = std::chrono::seconds(30));

}  // namespace em::worker
