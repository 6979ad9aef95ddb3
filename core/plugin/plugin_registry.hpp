#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "core/config/service_config.hpp"
#include "core/plugin/plugin_host.hpp"

namespace em {

// A plugin file the loader refused, and why. The others still load.
struct plugin_problem {
  std::filesystem::path file;
  std::string reason;
};

struct plugin_info {
  std::string name;
  std::filesystem::path file;
  std::vector<std::string> action_types;
};

// The appliers loaded from the plugin directory, by action type.
class plugin_registry {
 public:
  plugin_registry();
  ~plugin_registry();
  plugin_registry(plugin_registry&&) noexcept;
  plugin_registry& operator=(plugin_registry&&) noexcept;

  // Loads every regular *.so file of `dir` (sorted by name, so a duplicate
  // type is always refused in the same file). Refuses, recording the file and
  // the reason: a file not owned by root (or by the user running emsd) or
  // writable by group or others, a file that is not a loadable library, a
  // missing entry point, an incompatible ABI version or descriptor size, a
  // plugin with no action types, a duplicate action type or plugin name, and
  // a plugin whose create() fails.
  // With `plugins.enable` set, a plugin whose name is not listed is left
  // unloaded (its library is opened to read its name, nothing more), and a
  // listed name no file provides is a problem. Two enabled plugins claiming
  // one action type are a conflict (SPEC 13): the later one is refused and
  // conflicts() names both, which emsd treats as a start-up error.
  // Each plugin gets its host_api from `host`; with none, a memory-only one.
  static plugin_registry load_directory(const std::filesystem::path& dir,
                                        const plugins_section& plugins, const iis_section& iis,
                                        const plugin_host* host = nullptr);

  // nullptr when no loaded plugin handles `action_type`.
  emservice::applier* find(const std::string& action_type) const;

  const std::vector<plugin_info>& plugins() const;
  const std::vector<plugin_problem>& problems() const;
  // Plugins found but not listed in [plugins] enable.
  const std::vector<plugin_info>& disabled() const;
  // "plugins 'a' (a.so) and 'b' (b.so) both handle action type 'T'; …", one line each.
  const std::vector<std::string>& conflicts() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace em
