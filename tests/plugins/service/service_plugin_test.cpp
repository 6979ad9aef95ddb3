// The service plugin (service.so, loaded by the real loader) against a
// systemctl stand-in that keeps real state in files and runs real processes
// (this machine has no systemd).
#include <catch2/catch.hpp>

#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/plugins/support/systemctl_stand_in.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

struct service_fixture {
  temp_dir dir{"emsvc"};
  systemctl_stand_in systemctl{dir.path()};

  em::plugins_section settings() const {
    return plugins_with("service", "systemctl = " + toml_string(systemctl.program().string()));
  }
};

emservice::action disable(const std::string& name, const std::string& mask = "") {
  return make_action(
      "M4.1", "DisableService", "Server", "",
      "<Service name=\"" + name + "\"" + (mask.empty() ? "" : " mask=\"" + mask + "\"") + "/>");
}

}  // namespace

TEST_CASE_METHOD(service_fixture,
                 "DisableService stops and disables a real process, and rollback brings it back") {
  systemctl.add_unit("MSExchangeUM", true);
  systemctl.run("start", "MSExchangeUM");
  const int first = systemctl.pid("MSExchangeUM");
  REQUIRE(systemctl_stand_in::alive(first));

  plugin_harness plugins(settings(), {});
  auto& service = plugins.applier("DisableService");
  auto a = disable("MSExchangeUM", "false");
  REQUIRE(service.validate(a).ok);
  auto before = service.check(a);
  CHECK(before.state == emservice::check_state::not_in_effect);
  CHECK(before.message == "service MSExchangeUM is active and enabled");

  auto applied = service.apply(a);
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK_FALSE(systemctl_stand_in::alive(first));
  CHECK_FALSE(systemctl.enabled("MSExchangeUM"));
  CHECK_FALSE(systemctl.masked("MSExchangeUM"));
  CHECK(service.check(a).state == emservice::check_state::in_effect);
  CHECK(plugins.store().get_plugin_value("EX01", "service", "service MSExchangeUM") ==
        std::optional<std::string>("active\nenabled"));

  auto undone = service.rollback(a);
  INFO(undone.message);
  REQUIRE(undone.ok);
  CHECK_THAT(undone.message,
             Catch::Contains("ran " + systemctl.program().string() + " enable, start"));
  const int second = systemctl.pid("MSExchangeUM");
  CHECK(second != first);
  CHECK(systemctl_stand_in::alive(second));
  CHECK(systemctl.enabled("MSExchangeUM"));
  CHECK(service.check(a).state == emservice::check_state::not_in_effect);
  CHECK(plugins.store().get_plugin_value("EX01", "service", "service MSExchangeUM") ==
        std::nullopt);

  auto calls = systemctl.calls();
  const std::vector<std::string> tail(calls.end() - 4, calls.end());
  CHECK(tail == std::vector<std::string>{"enable MSExchangeUM", "start MSExchangeUM",
                                         "is-active MSExchangeUM", "is-enabled MSExchangeUM"});
}

TEST_CASE_METHOD(service_fixture, "mask=\"true\" masks, and rollback unmasks") {
  systemctl.add_unit("MSExchangeIMAP4", true);
  plugin_harness plugins(settings(), {});
  auto& service = plugins.applier("DisableService");
  auto a = disable("MSExchangeIMAP4", "true");
  REQUIRE(service.apply(a).ok);
  CHECK(systemctl.masked("MSExchangeIMAP4"));
  CHECK(service.check(a).state == emservice::check_state::in_effect);
  // Disabled is not enough when the Value asks for a mask.
  systemctl.run("unmask", "MSExchangeIMAP4");
  CHECK(service.check(a).state == emservice::check_state::not_in_effect);
  CHECK(service.check(disable("MSExchangeIMAP4")).state == emservice::check_state::in_effect);

  REQUIRE(service.apply(a).ok);
  auto undone = service.rollback(a);
  REQUIRE(undone.ok);
  // It was enabled but not running before the first apply: enabled again, not started.
  CHECK_FALSE(systemctl.masked("MSExchangeIMAP4"));
  CHECK(systemctl.enabled("MSExchangeIMAP4"));
  CHECK(systemctl.pid("MSExchangeIMAP4") == 0);
  CHECK_THAT(undone.message, Catch::Contains("it was inactive and enabled before the mitigation"));
}

TEST_CASE_METHOD(service_fixture,
                 "issue_11_service_rollback_leaves_what_the_service_did_not_change") {
  plugin_harness plugins(settings(), {});
  auto& service = plugins.applier("DisableService");

  SECTION("masked and stopped by an administrator: in effect, and rollback touches nothing") {
    systemctl.add_unit("MSExchangePOP3", false);
    systemctl.run("mask", "MSExchangePOP3");
    auto a = disable("MSExchangePOP3");
    CHECK(service.check(a).state == emservice::check_state::in_effect);
    const auto calls_before = systemctl.calls().size();
    auto undone = service.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("EM Service has no record of changing it"));
    CHECK_THAT(undone.message, Catch::Contains("left as it is"));
    CHECK(systemctl.calls().size() == calls_before);
    CHECK(systemctl.masked("MSExchangePOP3"));
    CHECK(systemctl.pid("MSExchangePOP3") == 0);
  }
  SECTION("stopped but enabled before apply: enabled again on rollback, never started") {
    systemctl.add_unit("MSExchangeTransport", true);
    auto a = disable("MSExchangeTransport");
    REQUIRE(service.apply(a).ok);
    CHECK_FALSE(systemctl.enabled("MSExchangeTransport"));
    auto undone = service.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK(systemctl.enabled("MSExchangeTransport"));
    CHECK(systemctl.pid("MSExchangeTransport") == 0);
    CHECK_THAT(undone.message, Catch::EndsWith("ran " + systemctl.program().string() + " enable"));
  }
  SECTION("running but disabled before apply: started again on rollback, never enabled") {
    systemctl.add_unit("MSExchangeFrontEndTransport", false);
    systemctl.run("start", "MSExchangeFrontEndTransport");
    auto a = disable("MSExchangeFrontEndTransport");
    REQUIRE(service.apply(a).ok);
    CHECK(systemctl.pid("MSExchangeFrontEndTransport") == 0);
    auto undone = service.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_FALSE(systemctl.enabled("MSExchangeFrontEndTransport"));
    CHECK(systemctl_stand_in::alive(systemctl.pid("MSExchangeFrontEndTransport")));
  }
}

TEST_CASE_METHOD(service_fixture, "systemctl failures are reported with exit code and stderr") {
  plugin_harness plugins(settings(), {});
  auto& service = plugins.applier("DisableService");
  auto a = disable("MSExchangeNoSuchService");
  auto check = service.check(a);
  CHECK(check.state == emservice::check_state::error);
  CHECK(check.message == "'" + systemctl.program().string() +
                             " is-enabled MSExchangeNoSuchService' failed with exit code 1: Failed "
                             "to get unit file state for MSExchangeNoSuchService.service: No such "
                             "file or directory");
  auto applied = service.apply(a);
  CHECK_FALSE(applied.ok);
  CHECK_THAT(applied.message, Catch::Contains("failed with exit code 1"));

  // A unit that exists but whose stop fails half-way says what was done.
  systemctl.add_unit("MSExchangeUM", true);
  const fs::path broken = dir.path() / "broken-systemctl";
  write_text(broken,
             "#!/bin/sh\ncase \"$1\" in\n  is-active) echo active ;;\n"
             "  is-enabled) echo enabled ;;\n  stop) exit 0 ;;\n"
             "  *) echo \"Access denied\" >&2; exit 4 ;;\nesac\n");
  fs::permissions(broken, fs::perms(0755));
  plugin_harness other(plugins_with("service", "systemctl = " + toml_string(broken.string())), {});
  auto half = other.applier("DisableService").apply(disable("MSExchangeUM"));
  CHECK_FALSE(half.ok);
  CHECK(half.message == "ran stop, but '" + broken.string() +
                            " disable MSExchangeUM' failed with exit code 4: Access denied");
}

TEST_CASE("the service plugin checks its settings and the Value") {
  for (const auto& [settings, reason] : std::vector<std::pair<std::string, std::string>>{
           {"systemd = \"/bin/systemctl\"\n",
            "emsd.conf:5:11: plugins.service.systemd: unknown key (plugin 'service' takes "
            "systemctl, timeout)"},
           {"systemctl = \"systemctl\"\n", "plugins.service.systemctl: expected an absolute path"},
           {"systemctl = [\"/bin/systemctl\"]\n",
            "emsd.conf:5:13: plugins.service.systemctl: expected a string, got array"},
       }) {
    plugin_harness plugins(plugins_with("service", settings), {});
    CHECK_THAT(plugins.refusal("service.so"), Catch::Contains(reason));
  }

  plugin_harness plugins(plugins_with("service"), {});
  auto& service = plugins.applier("DisableService");
  for (const auto& [value, reason] : std::vector<std::pair<std::string, std::string>>{
           {"<Service name='--now'/>", "<Service> name '--now' is not a service name"},
           {"<Service name='a b'/>", "<Service> name 'a b' is not a service name"},
           {"<Service name='MSExchangeUM' mask='maybe'/>",
            "<Service> mask must be true or false, not 'maybe'"},
           {"<Service/>", "<Service> needs a name attribute"},
           {"<Service name='x'>text</Service>", "must be one <Service/> element"},
       }) {
    auto r = service.validate(make_action("M4.1", "DisableService", "", "", value));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains(reason));
  }
}
