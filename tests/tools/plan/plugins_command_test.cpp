// emctl plugins, and a plugin setting of the wrong type, with the real
// programs and the built plugins (issue 16): the table is refused before the
// plugin's create() runs, naming the file, line and key, and the plugin's
// actions fail with that reason while the others are applied.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"
#include "tests/tools/rollback/rollback_fixture.hpp"

using namespace em::test;

TEST_CASE_METHOD(rollback_fixture, "issue_16_emctl_plugins lists types, ABI and typed settings") {
  auto r = emctl({"plugins"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains(
                        "\napppool (apppool.so, ABI 2.0)\n  Action types: DisableAppPool\n"
                        "  Settings ([plugins.apppool]):\n    stop_command (list, no default): "));
  CHECK_THAT(r.out, Catch::Contains("    timeout (duration, default \"60s\"): how long each "
                                    "command may run\n"));
  CHECK_THAT(r.out, Catch::Contains("\nping (ping.so, ABI 2.0)\n  Action types: DoNothing\n"
                                    "  Settings: none\n"));
  CHECK_THAT(r.out, Catch::Contains("\nrewrite (rewrite.so, ABI 2.0)\n  Action types: "
                                    "UrlRewrite\n  Settings: none\n"));
  CHECK_THAT(r.out, Catch::Contains("    systemctl (string, default \"/usr/bin/systemctl\"): "));
  CHECK(r.out.find("Refused") == std::string::npos);

  auto j = nlohmann::json::parse(emctl({"plugins", "--json"}).out);
  bool found = false;
  for (const auto& p : j["Plugins"])
    if (p["Name"] == "service") {
      found = true;
      CHECK(p["AbiVersion"] == "2.0");
      CHECK(p["ActionTypes"] == nlohmann::json::array({"DisableService"}));
      CHECK(p["Settings"][1]["Key"] == "timeout");
      CHECK(p["Settings"][1]["Type"] == "duration");
      CHECK(p["Settings"][1]["Default"] == "\"60s\"");
    }
  CHECK(found);
  CHECK(j["Refused"].empty());
}

TEST_CASE_METHOD(rollback_fixture,
                 "issue_16_setting_of_the_wrong_type: refused before create with file, line and "
                 "key") {
  auto conf = read_text(path("emsd.conf"));
  const std::string anchor = "[plugins.service]\n";
  conf.insert(conf.find(anchor) + anchor.size(), "timeout = 5\n");
  write_text(path("emsd.conf"), conf);
  std::size_t line = 1;
  for (std::size_t i = 0; i < conf.find("timeout = 5"); ++i)
    line += conf[i] == '\n';
  const std::string why = path("emsd.conf").string() + ":" + std::to_string(line) +
                          ":11: plugins.service.timeout: expected a duration string such as "
                          "\"30s\", got integer";

  auto listed = emctl({"plugins"});
  REQUIRE(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("\nRefused:\n  service.so: " + why + "\n"));

  sign("1");
  const auto calls_before = systemctl.calls();
  auto once = emsd_once();
  INFO(once.out << once.err);
  REQUIRE(once.exit_code == 0);
  CHECK_THAT(once.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
  CHECK_THAT(once.out, Catch::Contains("M2.2 DisableService: Failed (plugin 'service' "
                                       "(service.so), which handles DisableService, was "
                                       "refused: " +
                                       why + ")"));
  CHECK_THAT(log_text(), Catch::Contains("S:EventId=1008;S:Message=Refused plugin "));
  // Refused before create(): the service plugin never ran, so the unit is untouched.
  CHECK(systemctl.calls() == calls_before);
  CHECK(systemctl.enabled("MSExchangeUM"));
}
