#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

namespace emplugin {

// Reads the values of a plugin's [plugins.<name>] table in create(). Every
// error is a plugin_error naming the key as the operator wrote it, e.g.
// "plugins.apppool.timeout: '5x' is not a duration such as \"30s\"".
// Unknown keys never get here: each plugin declares its keys in its
// descriptor (setting_keys) and the loader refuses the others (SPEC 9: a
// typo must not pass silently).
class settings_reader {
 public:
  explicit settings_reader(const emservice::host_context& context) : context_(context) {}

  // A command line: a list whose first item is an absolute program path.
  std::vector<std::string> command(const std::string& key) const;
  std::optional<std::string> absolute_path(const std::string& key) const;
  std::chrono::milliseconds duration(const std::string& key,
                                     std::chrono::milliseconds fallback) const;

 private:
  const std::vector<std::string>* values(const std::string& key) const;
  std::string where(const std::string& key) const;

  const emservice::host_context& context_;
};

}  // namespace emplugin
