// The built-in `service` plugin: action type DisableService (SPEC 6).
#include <emservice/plugin.hpp>

#include "plugins/common/plugin_entry.hpp"
#include "plugins/service/service_applier.hpp"

namespace {
const char* const action_types[] = {"DisableService", nullptr};
using emservice::setting_type;
const emservice::setting_spec settings[] = {
    {"systemctl", setting_type::string, R"("/usr/bin/systemctl")",
     "the service manager's command line tool (systemctl or a compatible program)"},
    {"timeout", setting_type::duration, R"("60s")", "how long each of its commands may run"},
    {nullptr, setting_type::string, nullptr, nullptr}};
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emservice_plugin::service_applier>::descriptor(
      "service", action_types, settings);
}
