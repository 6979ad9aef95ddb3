// The built-in `apppool` plugin: action type DisableAppPool (SPEC 6).
#include <emservice/plugin.hpp>

#include "plugins/apppool/apppool_applier.hpp"
#include "plugins/common/plugin_entry.hpp"

namespace {
const char* const action_types[] = {"DisableAppPool", nullptr};
using emservice::setting_type;
const emservice::setting_spec settings[] = {
    {"stop_command", setting_type::list, nullptr,
     "the program and arguments that stop a pool, {name} standing for its name; none: the "
     "pool is only disabled in applicationHost.config"},
    {"start_command", setting_type::list, nullptr,
     "the program and arguments that start a pool again on rollback, {name} as above"},
    {"timeout", setting_type::duration, R"("60s")", "how long each command may run"},
    {nullptr, setting_type::string, nullptr, nullptr}};
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emapppool::apppool_applier>::descriptor("apppool", action_types,
                                                                        settings);
}
