// The built-in `apppool` plugin: action type DisableAppPool (SPEC 6).
#include <emservice/plugin.hpp>

#include "plugins/apppool/apppool_applier.hpp"
#include "plugins/common/plugin_entry.hpp"

namespace {
const char* const action_types[] = {"DisableAppPool", nullptr};
const char* const setting_keys[] = {"stop_command", "start_command", "timeout", nullptr};
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emapppool::apppool_applier>::descriptor("apppool", action_types,
                                                                        setting_keys);
}
