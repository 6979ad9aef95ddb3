#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <emservice/plugin.hpp>

#include "core/plugin/plugin_host.hpp"
#include "core/plugin/worker/worker_messages.hpp"

namespace em {

struct plugin_worker_settings {
  std::filesystem::path executable;   // emsd-plugin-worker
  std::filesystem::path config_file;  // the configuration emsd runs with
  std::chrono::milliseconds call_timeout{60'000};
  std::chrono::milliseconds start_timeout{30'000};
};

// Runs the plugins in a separate worker process so a plugin that crashes
// (segfault, abort) or hangs cannot take emsd down: its action is Failed with
// the reason, the worker is stopped, and the next call starts a fresh one.
// find() hands out appliers that forward each call to the worker; not
// thread-safe (the policy actor calls plugins one at a time).
class plugin_worker {
 public:
  plugin_worker(plugin_worker_settings settings, plugin_host::log_function log);
  ~plugin_worker();
  plugin_worker(const plugin_worker&) = delete;
  plugin_worker& operator=(const plugin_worker&) = delete;

  // Starts the worker and waits for its hello; throws em::error saying why it
  // could not start.
  void start();

  // What the first successful start loaded.
  const worker::hello& loaded() const { return loaded_; }

  // nullptr when no loaded plugin handles the type.
  emservice::applier* find(const std::string& action_type);

  // Used by the forwarding appliers: one call, with the timeout and crash
  // handling above. A failure of the worker itself comes back as ok = false.
  worker::response call(const std::string& call, const emservice::action& action);

  pid_t pid() const { return pid_; }

 private:
  class forwarding_applier;
  void spawn();
  void stop(bool kill_now);
  std::string reap(const std::string& during);

  plugin_worker_settings settings_;
  plugin_host::log_function log_;
  worker::hello loaded_;
  std::map<std::string, std::unique_ptr<forwarding_applier>> appliers_;
  pid_t pid_ = -1;
  int fd_ = -1;
  std::uint64_t next_id_ = 1;
};

}  // namespace em
