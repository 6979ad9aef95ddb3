#include "core/plugin/local_plugins.hpp"

#include "core/plugin/plugin_boundary.hpp"
#include "core/plugin/plugin_registry.hpp"

namespace em {

local_plugins::local_plugins(const plugin_registry& registry)
    : registry_(&registry),
      lookup_([&registry](const std::string& type) { return registry.find(type); }) {}

local_plugins::local_plugins(lookup_function lookup) : lookup_(std::move(lookup)) {}

std::string local_plugins::unavailable(const std::string& action_type) const {
  if (registry_)
    return unavailable_reason(action_type, registry_->plugins(), registry_->problems(),
                              registry_->disabled());
  return lookup_(action_type) ? std::string()
                              : "no plugin handles action type '" + action_type + "'";
}

call_result local_plugins::call(call_type call, const emservice::action& action) {
  emservice::applier* applier = lookup_(action.type);
  if (!applier) return {false, emservice::check_state::error, unavailable(action.type)};
  return call_applier(*applier, call, action);
}

}  // namespace em
