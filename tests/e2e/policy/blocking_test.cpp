// MitigationsBlocked by Config ID and by action ID, end to end.
#include <catch2/catch.hpp>

#include "tests/e2e/policy/policy_fixture.hpp"

using namespace em::test;
using strings = std::vector<std::string>;

namespace {
int count(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1))
    ++n;
  return n;
}
}  // namespace

TEST_CASE_METHOD(policy_fixture,
                 "blocked by Config ID: neither applied nor removed, then unblocked") {
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(std::string(ping_config) + m1_config);
  REQUIRE(emsd_once(ex01).exit_code == 0);
  remove_marker("m1-a");
  REQUIRE(emctl(ex01, {"set-server", "--blocked=M1"}).exit_code == 0);
  REQUIRE(emsd_once(ex01).exit_code == 0);

  CHECK_FALSE(marker("m1-a"));  // not applied again
  CHECK(marker("m1-b"));        // not removed
  auto s = statuses(ex01, "EX01");
  CHECK(s["M1.1"] == "Blocked");
  CHECK(s["M1.2"] == "Blocked");
  CHECK(s["PING1.1"] == "Applied");
  // M1.2 is still in effect and stays listed; M1.1 was undone by hand.
  CHECK(applied(ex01, "EX01") == strings{"M1.2", "PING1.1"});
  auto log = log_of("EX01");
  CHECK(count(log, ",BlockMitigation,S:LogLevel=Warning;S:EventId=1007;") == 2);
  CHECK(count(log, ",BlockMitigation,S:LogLevel=Warning;S:Message=Mitigation M1.") == 2);

  REQUIRE(emctl(ex01, {"set-server", "--blocked="}).exit_code == 0);
  REQUIRE(emsd_once(ex01).exit_code == 0);
  CHECK(marker("m1-a"));
  CHECK(statuses(ex01, "EX01")["M1.1"] == "Applied");
}

TEST_CASE_METHOD(policy_fixture, "blocked by action ID: only that action") {
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(m1_config);
  REQUIRE(emsd_once(ex01).exit_code == 0);  // registers EX01
  remove_marker("m1-a");
  remove_marker("m1-b");
  REQUIRE(emctl(ex01, {"set-server", "EX01", "--blocked=M1.2"}).exit_code == 0);
  REQUIRE(emsd_once(ex01).exit_code == 0);
  CHECK(marker("m1-a"));
  CHECK_FALSE(marker("m1-b"));
  auto s = statuses(ex01, "EX01");
  CHECK(s["M1.1"] == "Applied");
  CHECK(s["M1.2"] == "Blocked");
  CHECK(count(log_of("EX01"), "S:EventId=1007;") == 1);
}
