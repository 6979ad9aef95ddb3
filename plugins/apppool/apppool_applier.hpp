#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "plugins/common/iis_tree.hpp"
#include "plugins/common/plugin_entry.hpp"

namespace emapppool {

// DisableAppPool: sets autoStart="false" and startMode="OnDemand" on the pool
// in applicationHost.config, remembering the previous values in the store,
// then runs the configured stop command; rollback writes the previous values
// back (an attribute that was absent is removed again) and runs the start
// command.
class apppool_applier final : public emplugin::guarded_applier {
 public:
  // Settings: stop_command, start_command (lists, "{name}" becomes the pool's
  // name), timeout (default "60s"). All optional.
  static std::unique_ptr<apppool_applier> create(const emservice::host_context& context);

 protected:
  void do_validate(const emservice::action& a) override;
  emservice::check_result do_check(const emservice::action& a) override;
  std::string do_apply(const emservice::action& a) override;
  std::string do_rollback(const emservice::action& a) override;

 private:
  apppool_applier(emplugin::iis_tree tree, emservice::host_api* host, std::vector<std::string> stop,
                  std::vector<std::string> start, std::chrono::milliseconds timeout)
      : tree_(std::move(tree)),
        host_(host),
        stop_(std::move(stop)),
        start_(std::move(start)),
        timeout_(timeout) {}

  // Runs `command` for `pool`; "" when none is configured, else what it did.
  // Throws plugin_error when it fails, prefixed with `done` (what was already changed).
  std::string run(const std::vector<std::string>& command, const std::string& pool,
                  const std::string& done) const;

  emplugin::iis_tree tree_;
  emservice::host_api* host_;
  std::vector<std::string> stop_;
  std::vector<std::string> start_;
  std::chrono::milliseconds timeout_;
};

}  // namespace emapppool
