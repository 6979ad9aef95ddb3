#pragma once

#include <functional>
#include <string>

#include <emservice/applier.hpp>

#include "core/plugin/plugin_calls.hpp"

namespace em {

class plugin_registry;

// Plugins called in this process, through the one exception guard
// (plugin_boundary): what the plugin worker does with its registry, and what
// tests do with appliers of their own. emsd and emctl never load plugins
// themselves; they use plugin_client.
class local_plugins final : public plugin_calls {
 public:
  using lookup_function = std::function<emservice::applier*(const std::string& action_type)>;

  explicit local_plugins(const plugin_registry& registry);
  explicit local_plugins(lookup_function lookup);

  std::string unavailable(const std::string& action_type) const override;
  call_result call(call_type call, const emservice::action& action) override;

 private:
  const plugin_registry* registry_ = nullptr;
  lookup_function lookup_;
};

}  // namespace em
