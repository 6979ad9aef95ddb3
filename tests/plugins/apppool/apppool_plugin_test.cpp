// The apppool plugin (apppool.so, loaded by the real loader) on the
// Exchange-like applicationHost.config, with stop and start commands that are
// real programs recording their calls.
#include <catch2/catch.hpp>

#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

struct apppool_fixture {
  iis_fixture tree;
  fs::path calls = tree.dir().path() / "apppool-calls.log";
  fs::path ctl = tree.dir().path() / "apppool-ctl";
  std::string original = read_text(tree.application_host());

  apppool_fixture() {
    write_text(ctl, "#!/bin/sh\necho \"$*\" >> '" + calls.string() + "'\n");
    fs::permissions(ctl, fs::perms(0755));
  }

  std::string commands() const {
    return "stop_command = " + toml_list({ctl.string(), "stop", "{name}"}) +
           "\nstart_command = " + toml_list({ctl.string(), "start", "{name}"}) + "\n";
  }
  std::string called() const { return fs::exists(calls) ? read_text(calls) : std::string(); }
  std::string config() const { return read_text(tree.application_host()); }
};

emservice::action disable(const std::string& pool) {
  return make_action("M3.1", "DisableAppPool", "Server", "", "<AppPool name=\"" + pool + "\"/>");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto p = text.find(from);
  REQUIRE(p != std::string::npos);
  return text.replace(p, from.size(), to);
}

}  // namespace

TEST_CASE_METHOD(apppool_fixture,
                 "DisableAppPool sets autoStart and startMode, stops the pool, and rollback "
                 "restores them byte for byte") {
  plugin_harness plugins(plugins_with("apppool", commands()), tree.iis());
  auto& apppool = plugins.applier("DisableAppPool");
  auto a = disable("MSExchangeOWAAppPool");
  REQUIRE(apppool.validate(a).ok);
  auto before = apppool.check(a);
  CHECK(before.state == emservice::check_state::not_in_effect);
  CHECK_THAT(before.message, Catch::Contains("autoStart=true, startMode=AlwaysRunning"));

  auto applied = apppool.apply(a);
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK_THAT(applied.message,
             Catch::Contains("ran '" + ctl.string() + " stop MSExchangeOWAAppPool'"));
  const std::string line = "<add name=\"MSExchangeOWAAppPool\" autoStart=\"true\" ";
  std::string expected =
      replaced(original, line, "<add name=\"MSExchangeOWAAppPool\" autoStart=\"false\" ");
  const std::string mode = "MSExchangeOWAAppPool.config\" startMode=\"AlwaysRunning\"";
  expected = replaced(expected, mode, "MSExchangeOWAAppPool.config\" startMode=\"OnDemand\"");
  CHECK(config() == expected);
  CHECK(called() == "stop MSExchangeOWAAppPool\n");
  CHECK(apppool.check(a).state == emservice::check_state::in_effect);
  CHECK(plugins.store().get_plugin_value("EX01", "apppool", "pool MSExchangeOWAAppPool") ==
        std::optional<std::string>("autoStart=\"true\"\nstartMode=\"AlwaysRunning\"\n"));
  CHECK(backups_of(tree.application_host()) == 1);

  SECTION("applied again: nothing written, the pool stopped again") {
    auto again = apppool.apply(a);
    REQUIRE(again.ok);
    CHECK(config() == expected);
    CHECK(backups_of(tree.application_host()) == 1);
  }
  SECTION("rolled back") {
    auto undone = apppool.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK(config() == original);
    CHECK(called() == "stop MSExchangeOWAAppPool\nstart MSExchangeOWAAppPool\n");
    CHECK(apppool.check(a).state == emservice::check_state::not_in_effect);
    CHECK(plugins.store().get_plugin_value("EX01", "apppool", "pool MSExchangeOWAAppPool") ==
          std::nullopt);
  }
}

TEST_CASE_METHOD(apppool_fixture,
                 "attributes the pool did not have are added, and removed again on rollback") {
  plugin_harness plugins(plugins_with("apppool", commands()), tree.iis());
  auto& apppool = plugins.applier("DisableAppPool");

  SECTION("autoStart absent (IIS's default true)") {
    auto a = disable("MSExchangeECPAppPool");
    REQUIRE(apppool.apply(a).ok);
    CHECK(config() == replaced(original,
                               "MSExchangeECPAppPool.config\" startMode=\"AlwaysRunning\">",
                               "MSExchangeECPAppPool.config\" startMode=\"OnDemand\" "
                               "autoStart=\"false\">"));
    REQUIRE(apppool.rollback(a).ok);
    CHECK(config() == original);
  }
  SECTION("a start tag over two lines, in single quotes, without startMode") {
    auto a = disable("msexchangepowershellfrontendapppool");  // IIS names ignore case
    REQUIRE(apppool.apply(a).ok);
    std::string expected = replaced(original, "FrontEndAppPool\" autoStart='true'",
                                    "FrontEndAppPool\" autoStart='false'");
    expected =
        replaced(expected,
                 "managedPipelineMode=\"Integrated\">\r\n                <processModel "
                 "identityType=\"LocalSystem\" idleTimeout=\"00:00:00\" />\r\n            "
                 "</add>\r\n            <add name=\"MSExchangePowerShellAppPool\"",
                 "managedPipelineMode=\"Integrated\" startMode=\"OnDemand\">\r\n                "
                 "<processModel identityType=\"LocalSystem\" idleTimeout=\"00:00:00\" />\r\n  "
                 "          </add>\r\n            <add name=\"MSExchangePowerShellAppPool\"");
    CHECK(config() == expected);
    CHECK(called() == "stop MSExchangePowerShellFrontEndAppPool\n");
    REQUIRE(apppool.rollback(a).ok);
    CHECK(config() == original);
  }
}

TEST_CASE_METHOD(apppool_fixture, "a pool already disabled is in effect") {
  plugin_harness plugins(plugins_with("apppool", commands()), tree.iis());
  CHECK(plugins.applier("DisableAppPool").check(disable("MSExchangeSyncAppPool")).state ==
        emservice::check_state::in_effect);
}

TEST_CASE_METHOD(apppool_fixture, "an unknown pool: Failed, nothing written, nothing run") {
  plugin_harness plugins(plugins_with("apppool", commands()), tree.iis());
  auto& apppool = plugins.applier("DisableAppPool");
  auto a = disable("MSExchangeNoSuchAppPool");
  auto r = apppool.apply(a);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("application pool 'MSExchangeNoSuchAppPool' is not in"));
  CHECK(apppool.check(a).state == emservice::check_state::error);
  CHECK(config() == original);
  CHECK(backups_of(tree.application_host()) == 0);
  CHECK(called().empty());
}

TEST_CASE_METHOD(apppool_fixture, "a failing or hanging stop command is reported") {
  const fs::path failing = tree.dir().path() / "failing-ctl";
  write_text(failing, "#!/bin/sh\necho 'the pool is locked' >&2\nexit 3\n");
  fs::permissions(failing, fs::perms(0755));
  const fs::path hanging = tree.dir().path() / "hanging-ctl";
  write_text(hanging, "#!/bin/sh\nexec sleep 30\n");
  fs::permissions(hanging, fs::perms(0755));

  SECTION("exit code and stderr") {
    plugin_harness plugins(
        plugins_with("apppool", "stop_command = " + toml_list({failing.string(), "{name}"})),
        tree.iis());
    auto r = plugins.applier("DisableAppPool").apply(disable("MSExchangeOWAAppPool"));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains("but '" + failing.string() +
                                          " MSExchangeOWAAppPool' failed with exit code 3: the "
                                          "pool is locked"));
  }
  SECTION("time limit") {
    plugin_harness plugins(
        plugins_with("apppool",
                     "stop_command = " + toml_list({hanging.string()}) + "\ntimeout = \"300ms\"\n"),
        tree.iis());
    auto started = std::chrono::steady_clock::now();
    auto r = plugins.applier("DisableAppPool").apply(disable("MSExchangeOWAAppPool"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains("did not finish in time and was killed"));
  }
  SECTION("a program that cannot run") {
    plugin_harness plugins(
        plugins_with("apppool",
                     "stop_command = " + toml_list({(tree.dir().path() / "missing").string()})),
        tree.iis());
    auto r = plugins.applier("DisableAppPool").apply(disable("MSExchangeOWAAppPool"));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains("could not run: cannot run"));
    CHECK_THAT(r.message, Catch::Contains("No such file or directory"));
  }
}

TEST_CASE_METHOD(apppool_fixture,
                 "issue_11_apppool_rollback_without_a_record_leaves_the_pool_alone") {
  // Disabled by an administrator before any mitigation: in effect, never
  // applied, so rollback has nothing of the service's to undo.
  plugin_harness plugins(plugins_with("apppool", commands()), tree.iis());
  auto& apppool = plugins.applier("DisableAppPool");
  auto a = disable("MSExchangeSyncAppPool");
  CHECK(apppool.check(a).state == emservice::check_state::in_effect);
  auto r = apppool.rollback(a);
  INFO(r.message);
  REQUIRE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("EM Service has no record of changing application pool "
                                        "'MSExchangeSyncAppPool'"));
  CHECK_THAT(r.message, Catch::Contains("left as it is, and not started"));
  CHECK(config() == original);
  CHECK(backups_of(tree.application_host()) == 0);
  CHECK(called().empty());
}

TEST_CASE_METHOD(apppool_fixture,
                 "issue_11_apppool_rollback_restores_only_what_it_changed_and_keeps_the_admins") {
  plugin_harness plugins(plugins_with("apppool", commands()), tree.iis());
  auto& apppool = plugins.applier("DisableAppPool");

  SECTION("autoStart was already false: only startMode comes back, and the pool is not started") {
    // An administrator had turned autoStart off but left startMode AlwaysRunning.
    const std::string admin =
        replaced(original, "<add name=\"MSExchangeOWAAppPool\" autoStart=\"true\" ",
                 "<add name=\"MSExchangeOWAAppPool\" autoStart=\"false\" ");
    write_text(tree.application_host(), admin);
    auto a = disable("MSExchangeOWAAppPool");
    CHECK(apppool.check(a).state == emservice::check_state::not_in_effect);
    REQUIRE(apppool.apply(a).ok);
    CHECK(plugins.store().get_plugin_value("EX01", "apppool", "pool MSExchangeOWAAppPool") ==
          std::optional<std::string>("startMode=\"AlwaysRunning\"\n"));
    auto undone = apppool.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK(config() == admin);
    CHECK_THAT(undone.message, Catch::Contains("restored the previous startMode"));
    CHECK_THAT(undone.message, Catch::Contains("it was not set to start before the mitigation"));
    CHECK(called() == "stop MSExchangeOWAAppPool\n");
  }
  SECTION("a value the administrator set after apply stays") {
    auto a = disable("MSExchangeOWAAppPool");
    REQUIRE(apppool.apply(a).ok);
    // After the mitigation, the administrator chose another start mode.
    const std::string mode = "MSExchangeOWAAppPool.config\" startMode=\"OnDemand\"";
    write_text(tree.application_host(),
               replaced(config(), mode, "MSExchangeOWAAppPool.config\" startMode=\"Manual\""));
    auto undone = apppool.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("restored the previous autoStart"));
    CHECK_THAT(undone.message, Catch::Contains("kept startMode, changed since the mitigation"));
    const std::string text = config();
    CHECK(text.find("<add name=\"MSExchangeOWAAppPool\" autoStart=\"true\" ") != std::string::npos);
    CHECK(text.find("MSExchangeOWAAppPool.config\" startMode=\"Manual\"") != std::string::npos);
    CHECK(called() == "stop MSExchangeOWAAppPool\nstart MSExchangeOWAAppPool\n");
  }
}

TEST_CASE("the apppool plugin checks its settings and the Value") {
  iis_fixture tree;
  for (const auto& [settings, reason] : std::vector<std::pair<std::string, std::string>>{
           {"stop = [\"/bin/true\"]\n",
            "emsd.conf:5:8: plugins.apppool.stop: unknown key (plugin 'apppool' takes "
            "stop_command, start_command, timeout)"},
           {"stop_command = [\"apppool-ctl\", \"stop\"]\n",
            "plugins.apppool.stop_command: expected a list starting with an absolute program path"},
           {"timeout = \"soon\"\n",
            "emsd.conf:5:11: plugins.apppool.timeout: bad duration 'soon' (use 30s, 10m, 1h)"},
           {"timeout = 30\n",
            "emsd.conf:5:11: plugins.apppool.timeout: expected a duration string such as \"30s\", "
            "got integer"},
       }) {
    plugin_harness plugins(plugins_with("apppool", settings), tree.iis());
    CHECK_THAT(plugins.refusal("apppool.so"), Catch::Contains(reason));
  }

  plugin_harness plugins(plugins_with("apppool"), tree.iis());
  auto& apppool = plugins.applier("DisableAppPool");
  for (const auto& [value, reason] : std::vector<std::pair<std::string, std::string>>{
           {"<AppPool/>", "<AppPool> needs a name attribute"},
           {"<AppPool name='x' force='true'/>", "<AppPool> has unknown attribute 'force'"},
           {"<Pool name='x'/>", "a DisableAppPool Value must be one <AppPool/> element"},
           {"<AppPool name='x'/><AppPool name='y'/>", "must be one <AppPool/> element"},
       }) {
    auto r = apppool.validate(make_action("M3.1", "DisableAppPool", "", "", value));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains(reason));
  }
}
