#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <emservice/action.hpp>

namespace em {

struct plugin_info;
struct plugin_problem;

// The four calls of the plugin contract (SPEC 6).
enum class call_type : std::uint8_t { validate = 1, check, apply, rollback };

const char* to_string(call_type call);  // "validate", "check", "apply", "rollback"
std::optional<call_type> parse_call_type(std::string_view text);

// What a call gave. Never an exception: a plugin that fails, throws, crashes
// or hangs is ok = false with the reason in `message`.
struct call_result {
  bool ok = false;
  emservice::check_state state = emservice::check_state::error;  // check only
  std::string message;

  emservice::outcome outcome() const { return {ok, message}; }
  emservice::check_result check() const {
    return {ok ? state : emservice::check_state::error, message};
  }
};

// How the service, emctl rollback and emctl plan reach the plugins: in emsd
// and emctl through the plugin worker process (plugin_client), in the worker
// itself and in tests directly (local_plugins).
class plugin_calls {
 public:
  virtual ~plugin_calls() = default;

  // Empty when a loaded plugin handles `action_type`; otherwise why none does,
  // naming the refused plugin that would have when there is one.
  virtual std::string unavailable(const std::string& action_type) const = 0;

  // One call of the plugin that handles action.type. Never throws.
  virtual call_result call(call_type call, const emservice::action& action) = 0;
};

// The reason unavailable() gives, from what the loader kept, refused and
// left out ([plugins] enable).
std::string unavailable_reason(const std::string& action_type,
                               const std::vector<plugin_info>& plugins,
                               const std::vector<plugin_problem>& problems,
                               const std::vector<plugin_info>& disabled);

}  // namespace em
