// The built-in `service` plugin: action type DisableService (SPEC 6).
#include <emservice/plugin.hpp>

#include "plugins/common/plugin_entry.hpp"
#include "plugins/service/service_applier.hpp"

namespace {
const char* const action_types[] = {"DisableService", nullptr};
const char* const setting_keys[] = {"systemctl", "timeout", nullptr};
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emservice_plugin::service_applier>::descriptor(
      "service", action_types, setting_keys);
}
