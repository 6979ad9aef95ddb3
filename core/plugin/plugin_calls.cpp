#include "core/plugin/plugin_calls.hpp"

#include <algorithm>

#include "core/plugin/plugin_registry.hpp"

namespace em {
namespace {

constexpr std::pair<call_type, const char*> call_names[] = {{call_type::validate, "validate"},
                                                            {call_type::check, "check"},
                                                            {call_type::apply, "apply"},
                                                            {call_type::rollback, "rollback"}};

bool handles(const std::vector<std::string>& types, const std::string& type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace

const char* to_string(call_type call) {
  for (const auto& [c, name] : call_names)
    if (c == call) return name;
  return "unknown call";
}

std::optional<call_type> parse_call_type(std::string_view text) {
  for (const auto& [c, name] : call_names)
    if (text == name) return c;
  return std::nullopt;
}

std::string unavailable_reason(const std::string& action_type,
                               const std::vector<plugin_info>& plugins,
                               const std::vector<plugin_problem>& problems,
                               const std::vector<plugin_info>& disabled) {
  for (const auto& p : plugins)
    if (handles(p.action_types, action_type)) return {};
  for (const auto& p : problems)
    if (handles(p.action_types, action_type))
      return "plugin '" + p.name + "' (" + p.file.filename().string() + "), which handles " +
             action_type + ", was refused: " + p.reason;
  std::string why = "no plugin handles action type '" + action_type + "'";
  for (const auto& p : disabled)
    if (handles(p.action_types, action_type))
      why += "; plugin '" + p.name + "' (" + p.file.filename().string() +
             ") does, but is not in [plugins] enable";
  // A plugin refused before it said what it handles may be the one.
  for (const auto& p : problems) {
    if (!p.action_types.empty()) continue;
    if (p.file.extension() == ".so")
      why += "; refused " + p.file.filename().string() + ": " + p.reason;
    else  // the folder itself
      why += "; " + p.file.string() + ": " + p.reason;
  }
  return why;
}

}  // namespace em
