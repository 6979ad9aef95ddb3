// Applicability with M1's real ranges, end to end.
#include <catch2/catch.hpp>

#include "tests/e2e/policy/policy_fixture.hpp"

using namespace em::test;
using strings = std::vector<std::string>;

TEST_CASE_METHOD(policy_fixture, "M1 applies up to 15.2.986.30 and 15.2.1118.15, not past them") {
  publish(std::string(ping_config) + m1_config);
  struct {
    const char* name;
    const char* build;
    const char* m1;
  } servers[] = {{"CU11", "15.2.986.30", "Applied"},
                 {"CU11SU", "15.2.986.36", "NotApplicable"},
                 {"CU12", "15.2.1118.15", "Applied"},
                 {"CU12SU", "15.2.1118.20", "NotApplicable"}};
  for (auto& s : servers) {
    INFO(s.name << " " << s.build);
    auto config = server(s.name, s.build);
    REQUIRE(emsd_once(config).exit_code == 0);
    auto st = statuses(config, s.name);
    CHECK(st["M1.1"] == s.m1);
    CHECK(st["M1.2"] == s.m1);
    CHECK(st["PING1.1"] == "Applied");
  }
}

TEST_CASE_METHOD(policy_fixture,
                 "a build upgraded past every range drops M1 but leaves the host change") {
  publish(std::string(ping_config) + m1_config);
  REQUIRE(emsd_once(server("EX01", "15.2.1118.15")).exit_code == 0);
  REQUIRE(marker("m1-a"));

  auto upgraded = server("EX01", "15.2.1118.20");  // the same server after its SU
  REQUIRE(emsd_once(upgraded).exit_code == 0);
  CHECK(applied(upgraded, "EX01") == strings{"PING1.1"});
  CHECK(server_json(upgraded, "EX01")["Build"] == "15.2.1118.20");
  CHECK(statuses(upgraded, "EX01")["M1.1"] == "NotApplicable");
  CHECK(marker("m1-a"));  // the host change is left for the administrator
  CHECK_THAT(log_of("EX01"),
             Catch::Contains("Mitigation M1.1 no longer applies (M1 does not apply to Exchange2019 "
                             "15.2.1118.20): removed from MitigationsApplied"));
}
