// The one exception guard between the host and plugin code, and the calls
// that go through it (issue 16: exceptions were guarded four times over).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/plugin/local_plugins.hpp"
#include "core/plugin/plugin_boundary.hpp"
#include "core/plugin/plugin_registry.hpp"

namespace {

class scripted_applier final : public emservice::applier {
 public:
  std::function<void()> before;  // throws, as the test wants
  emservice::check_state state = emservice::check_state::in_effect;

  emservice::outcome validate(const emservice::action&) override { return step("valid"); }
  emservice::check_result check(const emservice::action&) override {
    if (before) before();
    return {state, "checked"};
  }
  emservice::outcome apply(const emservice::action&) override { return step("applied"); }
  emservice::outcome rollback(const emservice::action&) override { return step("rolled back"); }

 private:
  emservice::outcome step(const char* what) {
    if (before) before();
    return emservice::outcome::success(what);
  }
};

const emservice::action sample{"X1.1", "Scripted", "Server", "", "", "<x/>"};

}  // namespace

TEST_CASE("the guard gives a plugin's own words, and names anything else it threw") {
  CHECK_FALSE(em::guard_plugin_code("apply", [] {}));
  CHECK(em::guard_plugin_code("apply", [] { throw std::runtime_error("disk full"); }) ==
        "disk full");
  CHECK(em::guard_plugin_code("apply", [] { throw std::out_of_range("map::at"); }) ==
        "apply threw std::out_of_range: map::at");
  CHECK(em::guard_plugin_code("check", [] { throw 42; }) == "check threw an unknown exception");
  // A reason is one line of the log.
  CHECK(em::guard_plugin_code("apply", [] { throw std::runtime_error("a\nb\r\nc"); }) == "a b  c");
}

TEST_CASE("each call goes through the guard, and a check state out of range is an error") {
  scripted_applier a;
  em::local_plugins plugins([&a](const std::string& type) -> emservice::applier* {
    return type == "Scripted" ? &a : nullptr;
  });
  CHECK(plugins.unavailable("Scripted").empty());
  CHECK(plugins.unavailable("Other") == "no plugin handles action type 'Other'");

  auto v = plugins.call(em::call_type::validate, sample);
  CHECK(v.ok);
  CHECK(v.message == "valid");
  auto c = plugins.call(em::call_type::check, sample);
  CHECK(c.ok);
  CHECK(c.state == emservice::check_state::in_effect);
  CHECK(plugins.call(em::call_type::apply, sample).message == "applied");
  CHECK(plugins.call(em::call_type::rollback, sample).message == "rolled back");

  a.state = static_cast<emservice::check_state>(7);
  auto odd = plugins.call(em::call_type::check, sample);
  CHECK_FALSE(odd.ok);
  CHECK(odd.message == "check returned an unknown state (7)");
  CHECK(odd.check().state == emservice::check_state::error);

  a.before = [] { throw std::logic_error("not ready"); };
  for (auto call : {em::call_type::validate, em::call_type::check, em::call_type::apply,
                    em::call_type::rollback}) {
    auto r = plugins.call(call, sample);
    CHECK_FALSE(r.ok);
    CHECK(r.message == std::string(em::to_string(call)) + " threw std::logic_error: not ready");
  }
  auto other = sample;
  other.type = "Other";
  CHECK(plugins.call(em::call_type::apply, other).message ==
        "no plugin handles action type 'Other'");
}

TEST_CASE("call types by name, and nothing else") {
  for (auto call : {em::call_type::validate, em::call_type::check, em::call_type::apply,
                    em::call_type::rollback})
    CHECK(em::parse_call_type(em::to_string(call)) == call);
  CHECK_FALSE(em::parse_call_type("Apply"));
  CHECK_FALSE(em::parse_call_type(""));
}

TEST_CASE("an unavailable type names the refused plugin that would have handled it") {
  std::vector<em::plugin_info> loaded{{"ping", "/p/ping.so", {"DoNothing"}, 2, 0, {}, ""}};
  std::vector<em::plugin_problem> refused{
      {"/p/apppool.so",
       "emsd.conf:3:11: plugins.apppool.timeout: expected a duration",
       "apppool",
       {"DisableAppPool"}},
      {"/p/broken.so", "not a loadable library: bad ELF", "", {}}};
  std::vector<em::plugin_info> disabled{{"nginx", "/p/nginx.so", {"UrlRewrite"}, 2, 0, {}, ""}};
  CHECK(em::unavailable_reason("DoNothing", loaded, refused, disabled).empty());
  CHECK(em::unavailable_reason("UrlRewrite", loaded, {}, disabled) ==
        "no plugin handles action type 'UrlRewrite'; plugin 'nginx' (nginx.so) does, but is not "
        "in [plugins] enable");
  CHECK(em::unavailable_reason("DisableAppPool", loaded, refused, disabled) ==
        "plugin 'apppool' (apppool.so), which handles DisableAppPool, was refused: "
        "emsd.conf:3:11: plugins.apppool.timeout: expected a duration");
  CHECK(em::unavailable_reason("HostsEntry", loaded, refused, disabled) ==
        "no plugin handles action type 'HostsEntry'; refused broken.so: not a loadable library: "
        "bad ELF");
}
