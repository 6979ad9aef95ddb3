// The built-in `ping` plugin: action type DoNothing, whose Value is the text
// "DoNothing". It changes nothing on the host; a PING mitigation showing as
// Applied proves that the whole pipeline (fetch, verify, decide, record) works.
// Built against the SDK header alone, like any third-party plugin.

#include <emservice/plugin.hpp>

#include <string>

namespace {

constexpr const char* action_type = "DoNothing";

std::string trim(const std::string& s) {
  const char* space = " \t\r\n\f\v";
  auto b = s.find_first_not_of(space);
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(space);
  return s.substr(b, e - b + 1);
}

// Quotes what the document said, shortened: the message lands in one log line.
std::string quoted(const std::string& value) {
  std::string v = trim(value);
  if (v.size() > 60) v = v.substr(0, 57) + "...";
  return "'" + v + "'";
}

class ping_applier final : public emservice::applier {
 public:
  emservice::outcome validate(const emservice::action& a) override {
    if (a.type != action_type)
      return emservice::outcome::failure("the ping plugin handles DoNothing, not '" + a.type + "'");
    if (trim(a.value_xml) != action_type)
      return emservice::outcome::failure(
          "a DoNothing action's Value must be the text DoNothing, got " + quoted(a.value_xml));
    return emservice::outcome::success();
  }

  // Always in effect once the action is valid. There is no host state to
  // look at, so "in effect" is vacuously true. The alternative, remembering
  // apply() in memory, would make every restart of emsd "re-apply" PING:
  // an Applied event (1005) and a "no longer in effect (undone on the
  // host?)" warning each time, with nothing undone. An operator expects PING
  // to show as Applied, steadily, from the first cycle that accepts it, and
  // that is exactly what in_effect gives (the service records it as Applied).
  emservice::check_result check(const emservice::action& a) override {
    auto valid = validate(a);
    if (!valid.ok) return {emservice::check_state::error, valid.message};
    return {emservice::check_state::in_effect,
            "DoNothing changes nothing on this host, so it is always in effect"};
  }

  emservice::outcome apply(const emservice::action& a) override {
    auto valid = validate(a);
    if (!valid.ok) return valid;
    return emservice::outcome::success("DoNothing: nothing to change on this host");
  }

  emservice::outcome rollback(const emservice::action& a) override {
    auto valid = validate(a);
    if (!valid.ok) return valid;
    return emservice::outcome::success("DoNothing: nothing to undo");
  }
};

// Ping declares no settings, so the host refuses any [plugins.ping] key (a
// typo, or a setting meant for another plugin) before this runs (SPEC 9).
emservice::applier* create(const emservice::host_context&, std::string&) {
  return new ping_applier();
}

void destroy(emservice::applier* instance) {
  delete instance;
}

const char* const action_types[] = {action_type, nullptr};

const emservice::plugin_descriptor descriptor = {
    EMSERVICE_PLUGIN_DESCRIPTOR_HEADER, "ping", action_types, &create, &destroy, nullptr};

}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return &descriptor;
}
