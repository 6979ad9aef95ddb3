#include <array>
#include <utility>

#include "core/store/store.hpp"

namespace em {
namespace {

// The names are SPEC 4's status words; they are also what the store keeps.
constexpr std::array<std::pair<action_state, const char*>, 6> names{{
    {action_state::applied, "Applied"},
    {action_state::blocked, "Blocked"},
    {action_state::not_applicable, "NotApplicable"},
    {action_state::disabled, "Disabled"},
    {action_state::failed, "Failed"},
    {action_state::pending, "Pending"},
}};

}  // namespace

const char* to_string(action_state s) {
  for (const auto& [state, name] : names)
    if (state == s) return name;
  return "Unknown";
}

std::optional<action_state> parse_action_state(const std::string& text) {
  for (const auto& [state, name] : names)
    if (text == name) return state;
  return std::nullopt;
}

}  // namespace em
