#pragma once

#include <functional>
#include <optional>
#include <string>

#include <emservice/applier.hpp>

#include "core/plugin/plugin_calls.hpp"

namespace em {

// The one place where exceptions thrown by plugin code are caught (SPEC 6: a
// plugin that throws fails its action, never the service). Every call into a
// plugin goes through here: its entry point, create, destroy, and the four
// calls. Runs `f`; returns nothing when it returned normally, otherwise the
// reason: the what() of a std::runtime_error as it is (the SDK's way to say
// why), "<what> threw <type>: <what()>" for any other std::exception, and
// "<what> threw an unknown exception" for anything else.
std::optional<std::string> guard_plugin_code(const std::string& what,
                                             const std::function<void()>& f) noexcept;

// One call of `applier`, through guard_plugin_code.
call_result call_applier(emservice::applier& applier, call_type call,
                         const emservice::action& action);

}  // namespace em
