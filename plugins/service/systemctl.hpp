#pragma once

#include <chrono>
#include <string>

#include <emservice/plugin.hpp>

namespace emservice_plugin {

// What systemctl says of a unit: is-active ("active", "inactive", "failed" …)
// and is-enabled ("enabled", "disabled", "masked", "static" …).
struct unit_state {
  std::string active;
  std::string enabled;

  bool running() const;
  bool masked() const;
  bool disabled_or_masked() const;
};

// The host's service manager, through its systemctl program, which the host
// runs (host_api::run_command: no shell, killed at the time limit).
class systemctl {
 public:
  systemctl(emservice::host_api* host, std::string program, std::chrono::milliseconds timeout)
      : host_(host), program_(std::move(program)), timeout_(timeout) {}

  // Throws emplugin::plugin_error when systemctl gives no answer (an unknown
  // unit, a failing program), with its exit code and stderr.
  unit_state state(const std::string& unit) const;
  // Runs `systemctl <verb> <unit>`; throws plugin_error on failure, with its
  // exit code and stderr. Returns the command as run.
  std::string run(const std::string& verb, const std::string& unit) const;

  const std::string& program() const { return program_; }

 private:
  std::string query(const std::string& verb, const std::string& unit) const;

  emservice::host_api* host_;
  std::string program_;
  std::chrono::milliseconds timeout_;
};

}  // namespace emservice_plugin
