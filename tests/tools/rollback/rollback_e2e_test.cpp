// End to end with the real programs: emfeed signs a document with M1 (the real
// URL Rewrite rule) and M2 (an app pool and a service), emsd --once applies it
// to the Exchange-like IIS tree and the systemctl stand-in, and
// emctl rollback undoes each action through its plugin.
#include <catch2/catch.hpp>

#include "core/store/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/tools/rollback/rollback_fixture.hpp"

using namespace em::test;

TEST_CASE_METHOD(
    rollback_fixture,
    "M1: applied once, applied twice, deleted by hand and back, rolled back by emctl") {
  const auto file = tree.site_root_config();
  const std::string original = read_text(file);
  sign("1");

  auto first = emsd_once();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
  const std::string applied = read_text(file);
  CHECK(occurrences(applied, "<rule name=\"EEMS M1.1 PowerShell - inbound\"") == 1);
  CHECK(occurrences(applied, "pattern=\"(?=.*autodiscover)(?=.*powershell)\"") == 1);

  auto second = emsd_once();
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
  CHECK(read_text(file) == applied);

  // An administrator deletes the rule by hand: the next cycle puts it back.
  std::string edited = applied;
  const auto begin = edited.find("                <rule name=\"EEMS M1.1");
  const auto end = edited.find("</rule>\r\n", begin) + 9;
  edited.erase(begin, end - begin);
  write_text(file, edited);
  auto third = emsd_once();
  REQUIRE(third.exit_code == 0);
  CHECK(read_text(file) == applied);
  CHECK_THAT(log_text(), Catch::Contains("was applied before but is no longer in effect"));

  auto rolled = emctl({"rollback", "M1.1"});
  INFO(rolled.out << rolled.err);
  REQUIRE(rolled.exit_code == 0);
  CHECK_THAT(rolled.out, Catch::StartsWith("Rolled back M1.1 (UrlRewrite, Default Web Site): "
                                           "removed rule 'EEMS M1.1 PowerShell - inbound'"));
  CHECK_THAT(rolled.out, Catch::Contains("M1.1 is still applicable and not blocked: the next "
                                         "check cycle will apply it again. To keep it off, block "
                                         "it first: emctl set-server EX01 --blocked=M1"));
  CHECK(read_text(file) == original);

  auto state = em::open_sqlite_store(path("state.db"));
  auto audit = state->audit_log();
  REQUIRE_FALSE(audit.empty());
  CHECK(audit.back().setting == "Rollback");
  CHECK(audit.back().target == "EX01");
  CHECK(audit.back().old_value == "M1.1");
  CHECK(audit.back().new_value == "Rolled back");
  CHECK_THAT(log_text(),
             Catch::Contains(",ApplyMitigation,S:LogLevel=Information;S:Message=Rolled back "
                             "mitigation M1.1 (UrlRewrite, Default Web Site): removed rule"));

  SECTION("not blocked: the next cycle applies it again") {
    REQUIRE(emsd_once().exit_code == 0);
    CHECK(read_text(file) == applied);
  }
  SECTION("blocked first: it stays off") {
    REQUIRE(emctl({"set-server", "--blocked=M1"}).exit_code == 0);
    auto again = emctl({"rollback", "M1.1"});
    REQUIRE(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("nothing to undo"));
    CHECK_THAT(again.out, !Catch::Contains("will apply it again"));
    auto cycle = emsd_once();
    REQUIRE(cycle.exit_code == 0);
    CHECK_THAT(cycle.out, Catch::Contains("M1.1 UrlRewrite: Blocked"));
    CHECK(read_text(file) == original);
  }
}

TEST_CASE_METHOD(rollback_fixture,
                 "M2: an app pool and a service disabled by emsd, rolled back "
                 "by emctl") {
  const std::string original = read_text(tree.application_host());
  const int daemon = systemctl.pid("MSExchangeUM");
  REQUIRE(systemctl_stand_in::alive(daemon));
  sign("1");
  auto cycle = emsd_once();
  INFO(cycle.out << cycle.err);
  REQUIRE(cycle.exit_code == 0);
  CHECK_THAT(cycle.out, Catch::Contains("M2.1 DisableAppPool: Applied"));
  CHECK_THAT(cycle.out, Catch::Contains("M2.2 DisableService: Applied"));
  CHECK(read_text(tree.application_host()) != original);
  CHECK(read_text(apppool_calls) == "stop MSExchangeECPAppPool\n");
  CHECK_FALSE(systemctl_stand_in::alive(daemon));
  CHECK_FALSE(systemctl.enabled("MSExchangeUM"));

  auto pool = emctl({"rollback", "M2.1"});
  INFO(pool.out << pool.err);
  REQUIRE(pool.exit_code == 0);
  CHECK_THAT(pool.out, Catch::Contains("Rolled back M2.1 (DisableAppPool)"));
  CHECK_THAT(pool.out, Catch::Contains("--blocked=M2"));
  CHECK(read_text(tree.application_host()) == original);
  CHECK(read_text(apppool_calls) == "stop MSExchangeECPAppPool\nstart MSExchangeECPAppPool\n");

  auto service = emctl({"rollback", "M2.2"});
  INFO(service.out << service.err);
  REQUIRE(service.exit_code == 0);
  CHECK_THAT(service.out, Catch::Contains("it was active and enabled before the mitigation"));
  CHECK(systemctl.enabled("MSExchangeUM"));
  CHECK(systemctl_stand_in::alive(systemctl.pid("MSExchangeUM")));
  CHECK_THAT(log_text(), Catch::Contains("Rolled back mitigation M2.2 (DisableService)"));
}

TEST_CASE_METHOD(rollback_fixture,
                 "issue_11_emctl_rollback_leaves_what_was_in_effect_before_the_service_came") {
  // Before EM Service: the rule written by Microsoft's own service, the app
  // pool and the service turned off by an administrator.
  const auto site = tree.site_root_config();
  const std::string rule =
      "        <rewrite>\r\n            <rules>\r\n"
      "                <rule name=\"EEMS M1.1 PowerShell - inbound\" stopProcessing=\"true\">\r\n"
      "                    <match url=\".*\" />\r\n                    <conditions>\r\n"
      "                        <add input=\"{UrlDecode:{REQUEST_URI}}\" "
      "pattern=\"(?=.*autodiscover)(?=.*powershell)\" />\r\n"
      "                    </conditions>\r\n"
      "                    <action type=\"AbortRequest\" />\r\n"
      "                </rule>\r\n            </rules>\r\n        </rewrite>\r\n";
  std::string text = read_text(site);
  text.insert(text.find("    </system.webServer>\r\n    <location path=\"aspnet_client\">"), rule);
  write_text(site, text);
  std::string pools = read_text(tree.application_host());
  const std::string ecp = "MSExchangeECPAppPool.config\" startMode=\"AlwaysRunning\"";
  pools.replace(pools.find(ecp), ecp.size(),
                "MSExchangeECPAppPool.config\" startMode=\"OnDemand\" autoStart=\"false\"");
  write_text(tree.application_host(), pools);
  systemctl.run("stop", "MSExchangeUM");
  systemctl.run("disable", "MSExchangeUM");

  sign("1");
  auto cycle = emsd_once();
  INFO(cycle.out << cycle.err);
  REQUIRE(cycle.exit_code == 0);
  for (const char* id : {"M1.1 UrlRewrite", "M2.1 DisableAppPool", "M2.2 DisableService"})
    CHECK_THAT(cycle.out, Catch::Contains(std::string(id) + ": Applied"));

  for (const auto& [id, says] : std::vector<std::pair<std::string, std::string>>{
           {"M1.1",
            "was not written by EM Service (it was there before the mitigation was "
            "applied, or was added by someone else): left in place"},
           {"M2.1",
            "EM Service has no record of changing application pool "
            "'MSExchangeECPAppPool'"},
           {"M2.2", "EM Service has no record of changing it"}}) {
    auto undone = emctl({"rollback", id});
    INFO(undone.out << undone.err);
    REQUIRE(undone.exit_code == 0);
    CHECK_THAT(undone.out, Catch::StartsWith("Rolled back " + id));
    CHECK_THAT(undone.out, Catch::Contains(says));
  }
  CHECK(read_text(site) == text);
  CHECK(read_text(tree.application_host()) == pools);
  CHECK(backups_of(site) == 0);
  CHECK(backups_of(tree.application_host()) == 0);
  CHECK_FALSE(std::filesystem::exists(apppool_calls));
  CHECK(systemctl.pid("MSExchangeUM") == 0);
  CHECK_FALSE(systemctl.enabled("MSExchangeUM"));
}
