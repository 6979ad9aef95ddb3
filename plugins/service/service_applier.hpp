#pragma once

#include <memory>
#include <string>

#include <emservice/plugin.hpp>

#include "plugins/common/plugin_entry.hpp"
#include "plugins/service/systemctl.hpp"

namespace emservice_plugin {

// DisableService: stops and disables (and, when the Value says mask="true",
// masks) a service through systemctl. The state before the first apply is
// kept in the store, so rollback puts back what there was: it unmasks (unless
// the unit was masked before), enables (if it was enabled) and starts (if it
// was running). With nothing stored it unmasks, enables and starts.
class service_applier final : public emplugin::guarded_applier {
 public:
  // Settings: systemctl (absolute path, default /usr/bin/systemctl),
  // timeout (per command, default "60s").
  static std::unique_ptr<service_applier> create(const emservice::host_context& context);

 protected:
  void do_validate(const emservice::action& a) override;
  emservice::check_result do_check(const emservice::action& a) override;
  std::string do_apply(const emservice::action& a) override;
  std::string do_rollback(const emservice::action& a) override;

 private:
  service_applier(systemctl manager, emservice::host_api* host)
      : systemctl_(std::move(manager)), host_(host) {}

  systemctl systemctl_;
  emservice::host_api* host_;
};

}  // namespace emservice_plugin
