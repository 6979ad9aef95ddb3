#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

#include "tests/tools/server_commands/emctl_fixture.hpp"

using em::test::emctl_fixture;

TEST_CASE("get-org prints the organisation as Format-List and JSON") {
  emctl_fixture f;
  auto r = f.emctl({"get-org"});
  REQUIRE(r.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_match(r.out, m,
                           std::regex("OrganizationId : ([0-9a-f-]{36})\n"
                                      "MitigationsEnabled : True\n")));
  const std::string id = m[1];

  r = f.emctl({"get-org", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out) ==
        nlohmann::json{{"OrganizationId", id}, {"MitigationsEnabled", true}});
}

TEST_CASE("set-org changes MitigationsEnabled and audits it") {
  emctl_fixture f;
  auto r = f.emctl({"set-org", "--mitigations-enabled=False"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(f.emctl({"get-org"}).out.find("MitigationsEnabled : False\n") != std::string::npos);

  const auto log = f.audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].user == f.expected_user());
  CHECK(log[0].target == "Organization");
  CHECK(log[0].setting == "MitigationsEnabled");
  CHECK(log[0].old_value == "True");
  CHECK(log[0].new_value == "False");

  SECTION("the same value again is no change") {
    CHECK(f.emctl({"set-org", "--mitigations-enabled", "false"}).exit_code == 0);
    CHECK(f.audit_log().size() == 1);
  }
}

TEST_CASE("set-org refuses a bad boolean or a missing value") {
  emctl_fixture f;
  auto r = f.emctl({"set-org", "--mitigations-enabled=off"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "emctl: bad boolean 'off' for --mitigations-enabled (true or false)\n");
  CHECK(f.emctl({"set-org"}).exit_code == 2);
  CHECK(f.audit_log().empty());
}
