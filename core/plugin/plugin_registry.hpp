#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "core/config/plugin_table.hpp"
#include "core/config/service_config.hpp"
#include "core/plugin/plugin_host.hpp"

namespace em {

// A plugin file the loader refused, and why. The others still load.
struct plugin_problem {
  std::filesystem::path file;
  std::string reason;
  // What its descriptor declared, when it got that far (empty otherwise): the
  // actions of these types then fail naming this plugin and the reason.
  std::string name;
  std::vector<std::string> action_types;
};

struct plugin_info {
  std::string name;
  std::filesystem::path file;
  std::vector<std::string> action_types;
  std::uint32_t abi_major = 0;
  std::uint32_t abi_minor = 0;
  std::vector<setting_info> settings;  // what its [plugins.<name>] table may hold
  std::string fingerprint;             // size and modification time: a replaced file differs
};

bool operator==(const plugin_info& a, const plugin_info& b);

// The shared [iis] table as every plugin receives it.
emservice::iis_table iis_table_of(const iis_section& iis);

// How load_directory goes about it.
struct load_options {
  std::string config_file;                // names the source of settings errors
  const plugin_host* host = nullptr;      // each plugin's host_api; none: values in memory
  std::set<std::filesystem::path> skip;   // not loaded, not reported (their loader knows why)
  std::set<std::string> skipped_names;    // the plugins of those files, where known
  // Told before each file is opened, and once a file's descriptor is read
  // (name and types known) before its create() runs, so that whoever watches
  // a loading worker can blame a crash on the right plugin.
  std::function<void(const std::filesystem::path&)> on_loading;
  std::function<void(const plugin_problem& declared)> on_declared;
};

// The appliers loaded from the plugin directory, by action type.
class plugin_registry {
 public:
  plugin_registry();
  ~plugin_registry();
  plugin_registry(plugin_registry&&) noexcept;
  plugin_registry& operator=(plugin_registry&&) noexcept;

  // Loads every regular *.so file of plugins.dir (sorted by name, so a
  // duplicate type is always refused in the same file). Refuses, recording
  // the file and the reason: a file not owned by root (or by the user running
  // emsd) or writable by group or others, a file that is not a loadable
  // library, a missing entry point, an unsupported ABI version, layout or
  // descriptor, a plugin with no action types, a duplicate action type or
  // plugin name, settings that do not match its declarations (file, line and
  // key named), and a plugin whose create() fails or throws.
  // With `plugins.enable` set, a plugin whose name is not listed is left
  // unloaded (its library is opened to read its name, nothing more), and a
  // listed name no file provides is a problem. Two enabled plugins claiming
  // one action type are a conflict (SPEC 13): the later one is refused and
  // conflicts() names both, which emsd treats as a start-up error.
  static plugin_registry load_directory(const plugins_section& plugins, const iis_section& iis,
                                        const load_options& options = {});
  // The same from `dir` (plugins.dir is not used), each plugin's host_api
  // from `host`.
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
