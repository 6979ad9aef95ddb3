// The built-in `nginx` plugin: action type UrlRewrite on an nginx reverse
// proxy in front of Exchange (SPEC 13). It claims the same type as the
// rewrite plugin: a host enables one of them ([plugins] enable).
#include <emservice/plugin.hpp>

#include "plugins/common/plugin_entry.hpp"
#include "plugins/nginx/nginx_applier.hpp"

namespace {
const char* const action_types[] = {"UrlRewrite", nullptr};
using emservice::setting_type;
const emservice::setting_spec settings[] = {
    {"conf", setting_type::string, nullptr,
     "the main nginx.conf, for `nginx -t -c <conf>` (required)"},
    {"sites", setting_type::table, nullptr,
     "target → the folder its server blocks include, e.g. { \"Default Web Site\" = "
     "\"/etc/nginx/emservice/exchange\" }; \"*\" for server-wide rules (required)"},
    {"nginx", setting_type::string, R"("/usr/sbin/nginx")", "the nginx binary"},
    {"reload_command", setting_type::list, R"(["{nginx}", "-c", "{conf}", "-s", "reload"])",
     "what reloads nginx; {nginx} and {conf} are replaced"},
    {nullptr, setting_type::string, nullptr, nullptr}};
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emnginx::nginx_applier>::descriptor("nginx", action_types,
                                                                    settings);
}
