// SPEC 4's organisation x server switch table, and drift, end to end.
#include <catch2/catch.hpp>

#include "tests/e2e/policy/policy_fixture.hpp"

using namespace em::test;
using strings = std::vector<std::string>;

TEST_CASE_METHOD(policy_fixture, "organisation x server MitigationsEnabled, as SPEC 4's table") {
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(std::string(ping_config) + m1_config);

  SECTION("org true, server true: applied automatically") {
    REQUIRE(emsd_once(ex01).exit_code == 0);
    CHECK(applied(ex01, "EX01") == strings{"M1.1", "M1.2", "PING1.1"});
    CHECK(marker("m1-a"));
    CHECK(marker("m1-b"));
  }
  SECTION("org true, server false: not applied on this server, still checked") {
    REQUIRE(emsd_once(ex01).exit_code == 0);  // registers EX01
    remove_marker("m1-a");
    REQUIRE(emctl(ex01, {"set-server", "EX01", "--mitigations-enabled=false"}).exit_code == 0);
    REQUIRE(emsd_once(ex01).exit_code == 0);
    CHECK_FALSE(marker("m1-a"));
    CHECK(statuses(ex01, "EX01")["M1.1"] == "Disabled");
    CHECK_THAT(log_of("EX01"), Catch::Contains("MitigationsEnabled is false for server EX01: no "
                                               "mitigation is applied on this server"));
    CHECK_THAT(log_of("EX01"), Catch::Contains("S:EventId=1006;"));
  }
  SECTION("org false: not applied on any server, whatever the server says") {
    auto ex02 = server("EX02", "15.2.1118.7");
    REQUIRE(emctl(ex01, {"set-org", "--mitigations-enabled=false"}).exit_code == 0);
    REQUIRE(emsd_once(ex01).exit_code == 0);
    REQUIRE(emctl(ex02, {"set-server", "EX01", "--mitigations-enabled=false"}).exit_code == 0);
    REQUIRE(emsd_once(ex02).exit_code == 0);
    CHECK_FALSE(marker("m1-a"));
    CHECK(statuses(ex01, "EX01")["PING1.1"] == "Disabled");
    CHECK(statuses(ex01, "EX02")["M1.2"] == "Disabled");
    CHECK(applied(ex01, "EX02").empty());
    CHECK_THAT(log_of("EX02"), Catch::Contains("MitigationsEnabled is false for the organisation"));
    // Back on: the next check applies again.
    REQUIRE(emctl(ex01, {"set-org", "--mitigations-enabled=true"}).exit_code == 0);
    REQUIRE(emsd_once(ex02).exit_code == 0);
    CHECK(marker("m1-a"));
  }
}

TEST_CASE_METHOD(policy_fixture,
                 "a mitigation undone by hand is applied again, and the log says so") {
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(m1_config);
  REQUIRE(emsd_once(ex01).exit_code == 0);
  REQUIRE(marker("m1-b"));
  remove_marker("m1-b");
  REQUIRE(emsd_once(ex01).exit_code == 0);
  CHECK(marker("m1-b"));
  CHECK(applied(ex01, "EX01") == strings{"M1.1", "M1.2"});
  CHECK_THAT(log_of("EX01"),
             Catch::Contains("M1.2 (TouchFile) was applied before but is no longer in effect"));
}
