// Several emsd sharing one store form an organisation; emctl sees all of it.
#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>
#include "tests/e2e/policy/policy_fixture.hpp"

#include "tests/support/temp_dir.hpp"

using namespace em::test;

TEST_CASE_METHOD(policy_fixture,
                 "three servers of different builds share one store, get-mitigations lists all") {
  publish(std::string(ping_config) + m1_config);
  auto ex01 = server("EX01", "15.2.986.30");
  auto ex02 = server("EX02", "15.2.1118.20");
  auto ex03 = server("EX03", "15.2.1118.7");
  for (auto& c : {ex01, ex02, ex03})
    REQUIRE(emsd_once(c).exit_code == 0);

  auto text = emctl(ex02, {"get-mitigations"});
  REQUIRE(text.exit_code == 0);
  for (const char* s : {"EX01", "EX02", "EX03"})
    CHECK_THAT(text.out, Catch::Contains(s));
  CHECK_THAT(text.out, Catch::StartsWith("Server  ID       Type       Status"));

  auto json = nlohmann::json::parse(emctl(ex01, {"get-mitigations", "--json"}).out);
  REQUIRE(json.size() == 9);
  std::map<std::string, std::string> by_server;
  for (auto& row : json)
    if (row["ID"] == "M1.1") by_server[row["Server"]] = row["Status"];
  CHECK(by_server == std::map<std::string, std::string>{
                         {"EX01", "Applied"}, {"EX02", "NotApplicable"}, {"EX03", "Applied"}});

  auto csv = emctl(ex03, {"get-mitigations", "--csv", (dir / "report.csv").string()});
  REQUIRE(csv.exit_code == 0);
  auto lines = read_text(dir / "report.csv");
  CHECK_THAT(lines, Catch::StartsWith("Server,ID,Type,Description,Status,Reason,Updated\r\n"));
  CHECK_THAT(lines, Catch::Contains("EX02,M1.1,TouchFile,first part,NotApplicable,"
                                    "M1 does not apply to Exchange2019 15.2.1118.20,"));
  int rows = 0;
  for (char c : lines)
    rows += c == '\n';
  CHECK(rows == 10);

  auto one =
      nlohmann::json::parse(emctl(ex01, {"get-mitigations", "--server", "ex03", "--json"}).out);
  CHECK(one.size() == 3);
  auto unknown = emctl(ex01, {"get-mitigations", "--server", "EX09"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "emctl: unknown server 'EX09'\n");
}

TEST_CASE_METHOD(policy_fixture,
                 "the audit trail records every change with who, when, old and new") {
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(ping_config);
  REQUIRE(emsd_once(ex01).exit_code == 0);
  REQUIRE(emctl(ex01, {"set-server", "--blocked=M1,M2.1"}).exit_code == 0);
  REQUIRE(
      emctl(ex01, {"set-server", "--mitigations-enabled=false", "--data-collection-enabled=true"})
          .exit_code == 0);
  REQUIRE(emctl(ex01, {"set-org", "--mitigations-enabled=false"}).exit_code == 0);
  REQUIRE(emctl(ex01, {"set-server", "--mitigations-enabled=maybe"}).exit_code == 2);  // no row

  auto audit = nlohmann::json::parse(emctl(ex01, {"audit", "--json"}).out);
  REQUIRE(audit.size() == 4);
  CHECK(audit[0]["ObjectModified"] == "EX01");
  CHECK(audit[0]["Setting"] == "MitigationsBlocked");
  CHECK(audit[0]["OldValue"] == "{}");
  CHECK(audit[0]["NewValue"] == "{M1, M2.1}");
  CHECK(audit[1]["Setting"] == "MitigationsEnabled");
  CHECK(audit[1]["OldValue"] == "True");
  CHECK(audit[1]["NewValue"] == "False");
  CHECK(audit[2]["Setting"] == "DataCollectionEnabled");
  CHECK(audit[3]["ObjectModified"] == "Organization");
  const std::string me = ::getpwuid(::getuid())->pw_name;
  for (auto& row : audit) {
    CHECK(row["Caller"] == me);
    CHECK_THAT(row["RunDate"].get<std::string>(), Catch::Matches(R"(\d{4}-\d\d-\d\dT.*Z)"));
  }
  auto text = emctl(ex01, {"audit"});
  CHECK_THAT(text.out, Catch::StartsWith("RunDate : "));
  CHECK_THAT(text.out,
             Catch::Contains("\nCaller : " + me +
                             "\nObjectModified : EX01\nSetting : "
                             "MitigationsBlocked\nOldValue : {}\nNewValue : {M1, M2.1}\n"));
}
