// The built-in `rewrite` plugin: action type UrlRewrite (SPEC 6).
#include <emservice/plugin.hpp>

#include "plugins/common/plugin_entry.hpp"
#include "plugins/rewrite/rewrite_applier.hpp"

namespace {
const char* const action_types[] = {"UrlRewrite", nullptr};
// None: any [plugins.rewrite] key is refused.
}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return emplugin::plugin_entry<emrewrite::rewrite_applier>::descriptor("rewrite", action_types,
                                                                        nullptr);
}
