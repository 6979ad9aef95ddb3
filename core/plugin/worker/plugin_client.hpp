#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config/service_config.hpp"
#include "core/plugin/plugin_calls.hpp"
#include "core/plugin/plugin_host.hpp"
#include "core/plugin/worker/worker_process.hpp"
#include "core/plugin/worker/worker_protocol.hpp"

namespace em {

// The one way emsd, emctl rollback and emctl plan reach plugins: every call
// goes to a worker process (emsd-plugin-worker) with [plugins] call_timeout,
// so a plugin that crashes (segfault, abort) or hangs costs its action, not
// the caller: the action fails with the reason, the worker is stopped, and
// the next call starts a fresh one. Not thread-safe (one caller at a time,
// as the policy actor calls plugins).
//
// Loading is watched the same way: a plugin that crashes or hangs the worker
// while it loads is refused with the reason ("the plugin worker crashed with
// signal 11 (SIGSEGV) while loading it"), and the worker starts again
// without it; its action types are unavailable, so their actions fail naming
// it. A worker started again later must load exactly what the first one
// loaded (same files, types and settings); if not, calls fail saying what
// changed, until the caller restarts.
class plugin_client final : public plugin_calls {
 public:
  plugin_client(worker::setup setup, std::filesystem::path worker_executable,
                plugin_host::log_function log);
  ~plugin_client() override;
  plugin_client(const plugin_client&) = delete;
  plugin_client& operator=(const plugin_client&) = delete;

  // Starts the worker and waits until every plugin was loaded or refused.
  // Throws em::error when the worker cannot run at all.
  void start();

  // What the first start loaded and refused.
  const worker::hello& loaded() const { return first_; }

  std::string unavailable(const std::string& action_type) const override;
  call_result call(call_type call, const emservice::action& action) override;

  pid_t pid() const { return process_.pid(); }

 private:
  worker::hello launch();
  void restart();
  call_result exchange(call_type call, const emservice::action& action);
  void forward(const std::vector<worker::log_line>& logs) const;

  worker::setup setup_;
  plugin_host::log_function log_;
  worker::worker_process process_;
  worker::hello first_;
  bool started_ = false;
  std::vector<plugin_problem> load_failures_;  // plugins that crashed or hung a worker
  std::uint64_t next_id_ = 1;
};

// What a worker loads, from the configuration the caller validated. Without
// `keep_values` the plugins' values stay in memory (emctl plan before the
// store exists: nothing may be created).
worker::setup worker_setup_of(const service_config& config, bool keep_values = true);

// emsd-plugin-worker beside the running program (build tree and tests), in
// ../libexec/emservice (installed), or in the build tree's ../emsd (emctl).
// Throws em::error naming where it looked.
std::filesystem::path find_plugin_worker();

}  // namespace em
