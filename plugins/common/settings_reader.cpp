#include "plugins/common/settings_reader.hpp"

#include <charconv>

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"

namespace emplugin {

const std::vector<std::string>* settings_reader::values(const std::string& key) const {
  auto it = context_.settings.find(key);
  return it == context_.settings.end() ? nullptr : &it->second;
}

std::string settings_reader::where(const std::string& key) const {
  return "plugins." + context_.plugin_name + "." + key;
}

std::vector<std::string> settings_reader::command(const std::string& key) const {
  const auto* v = values(key);
  if (!v) return {};
  if (v->empty() || v->front().empty() || v->front()[0] != '/')
    throw plugin_error(where(key) +
                       ": expected a list starting with an absolute program path, e.g. "
                       "[\"/usr/local/bin/apppool-ctl\", \"stop\", \"{name}\"] (no shell runs it)");
  return *v;
}

std::optional<std::string> settings_reader::absolute_path(const std::string& key) const {
  const auto* v = values(key);
  if (!v) return std::nullopt;
  if (v->size() != 1 || v->front().empty() || v->front()[0] != '/')
    throw plugin_error(where(key) + ": expected one absolute path");
  return v->front();
}

std::chrono::milliseconds settings_reader::duration(const std::string& key,
                                                    std::chrono::milliseconds fallback) const {
  const auto* v = values(key);
  if (!v) return fallback;
  const std::string text = v->size() == 1 ? trim(v->front()) : std::string();
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const std::string unit(end, text.data() + text.size());
  long long factor = unit == "ms"  ? 1
                     : unit == "s" ? 1000
                     : unit == "m" ? 60000
                     : unit == "h" ? 3600000
                                   : 0;
  if (text.empty() || ec != std::errc{} || factor == 0 || n <= 0 || n > 24 * 3600 * 1000LL / factor)
    throw plugin_error(where(key) + ": '" + (v->empty() ? "" : v->front()) +
                       "' is not a duration such as \"30s\", \"2m\" or \"500ms\"");
  return std::chrono::milliseconds(n * factor);
}

}  // namespace emplugin
