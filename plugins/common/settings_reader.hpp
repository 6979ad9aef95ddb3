#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

namespace emplugin {

// Reads the values of a plugin's [plugins.<name>] table in create(), once the
// host has checked them against the plugin's declared settings (unknown keys
// and wrong types never get here). What a type cannot say is checked here,
// as a plugin_error naming the key, e.g. "plugins.apppool.stop_command:
// expected a list starting with an absolute program path".
class settings_reader {
 public:
  explicit settings_reader(const emservice::host_context& context) : context_(context) {}

  // A command line: a list whose first item is an absolute program path.
  std::vector<std::string> command(const std::string& key) const;
  std::optional<std::string> absolute_path(const std::string& key) const;
  std::chrono::milliseconds duration(const std::string& key,
                                     std::chrono::milliseconds fallback) const;

 private:
  std::string where(const std::string& key) const;

  const emservice::host_context& context_;
};

}  // namespace emplugin
