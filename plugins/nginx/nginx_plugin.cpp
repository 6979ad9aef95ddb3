// The built-in `nginx` plugin: action type UrlRewrite on an nginx reverse
// proxy in front of Exchange (SPEC 13). It claims the same type as the
// rewrite plugin: a host enables one of them ([plugins] enable).
#include <emservice/plugin.hpp>

#include "plugins/common/plugin_entry.hpp"
#include "plugins/nginx/nginx_applier.hpp"

namespace {
const char* const action_types[] = {"UrlRewrite", nullptr};
const char* const setting_keys[] = {"conf", "sites.*", "nginx", "reload_command", nullptr};
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emnginx::nginx_applier>::descriptor("nginx", action_types,
                                                                    setting_keys);
}
