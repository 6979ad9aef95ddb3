#include "core/plugin/plugin_boundary.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <typeinfo>

namespace em {
namespace {

std::string type_name(const std::exception& e) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : typeid(e).name();
}

// A reason is one line of the log and of get-mitigations.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

std::optional<std::string> guard_plugin_code(const std::string& what,
                                             const std::function<void()>& f) noexcept {
  // noexcept: should even the message fail (no memory), the process ends,
  // which in the plugin worker is a crash its client reports like any other.
  try {
    f();
    return std::nullopt;
  } catch (const std::runtime_error& e) {
    return one_line(e.what());
  } catch (const std::exception& e) {
    return what + " threw " + type_name(e) + ": " + one_line(e.what());
  } catch (...) {
    return what + " threw an unknown exception";
  }
}

call_result call_applier(emservice::applier& applier, call_type call,
                         const emservice::action& action) {
  call_result r;
  auto thrown = guard_plugin_code(to_string(call), [&] {
    if (call == call_type::check) {
      auto c = applier.check(action);
      const auto state = static_cast<int>(c.state);
      if (state < 0 || state > static_cast<int>(emservice::check_state::error)) {
        r.message = "check returned an unknown state (" + std::to_string(state) + ")";
        return;
      }
      r.ok = c.state != emservice::check_state::error;
      r.state = c.state;
      r.message = std::move(c.message);
      return;
    }
    emservice::outcome o;
    if (call == call_type::validate)
      o = applier.validate(action);
    else if (call == call_type::apply)
      o = applier.apply(action);
    else
      o = applier.rollback(action);
    r.ok = o.ok;
    r.message = std::move(o.message);
  });
  if (thrown) r = {false, emservice::check_state::error, std::move(*thrown)};
  return r;
}

}  // namespace em
