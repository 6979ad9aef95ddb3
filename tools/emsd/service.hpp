#pragma once

#include <memory>
#include <string>

#include "core/config/service_config.hpp"

namespace emsd {

// The running service: its log, store, plugins, verifier and the five actors,
// built from a validated configuration. Construction throws em::invalid_input
// for a configuration that cannot be used (role Edge, unreadable trust
// anchor) and em::error when a resource cannot be opened (log folder, store).
class service {
 public:
  explicit service(const em::service_config& config);
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  // Runs one cycle now; returns 0 when it completed, 1 when the document could
  // not be fetched or was rejected (SPEC 7). Prints the outcome to stdout.
  int run_once();

  // Runs on schedule until SIGTERM or SIGINT; SIGUSR1 runs a cycle at once.
  // The caller must have blocked these signals in every thread (block_signals).
  int run_until_stopped();

  // Blocks SIGTERM, SIGINT, SIGHUP and SIGUSR1 so that only sigwait sees them;
  // call before any thread starts.
  static void block_signals();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace emsd
