#include "plugins/common/settings_reader.hpp"

#include "plugins/common/plugin_error.hpp"

namespace emplugin {

// The host has checked every value against the plugin's declared settings
// (types, the one duration grammar of the service) before create(): what is
// left here is what a type cannot say.

std::string settings_reader::where(const std::string& key) const {
  return "plugins." + context_.plugin_name + "." + key;
}

std::vector<std::string> settings_reader::command(const std::string& key) const {
  if (!context_.settings.has(key)) return {};
  const auto& v = context_.settings.get_list(key);
  if (v.empty() || v.front().empty() || v.front()[0] != '/')
    throw plugin_error(where(key) +
                       ": expected a list starting with an absolute program path, e.g. "
                       "[\"/usr/local/bin/apppool-ctl\", \"stop\", \"{name}\"] (no shell runs it)");
  return v;
}

std::optional<std::string> settings_reader::absolute_path(const std::string& key) const {
  if (!context_.settings.has(key)) return std::nullopt;
  const auto& v = context_.settings.get_string(key);
  if (v.empty() || v[0] != '/') throw plugin_error(where(key) + ": expected an absolute path");
  return v;
}

std::chrono::milliseconds settings_reader::duration(const std::string& key,
                                                    std::chrono::milliseconds fallback) const {
  if (!context_.settings.has(key)) return fallback;
  auto d = context_.settings.get_duration(key);
  if (d.count() <= 0) throw plugin_error(where(key) + ": must be more than 0s");
  return d;
}

}  // namespace emplugin
