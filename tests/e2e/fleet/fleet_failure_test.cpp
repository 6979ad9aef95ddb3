// SPEC 11 when etcd fails: stopped altogether (the cycle stops before
// applying anything, emsd keeps running, emctl says why in one line), or one
// member of three lost (nothing visible changes).
#include <catch2/catch.hpp>

#include <signal.h>

#include "tests/e2e/fleet/fleet_fixture.hpp"
#include "tests/e2e/policy/background_emsd.hpp"
#include "tests/support/etcd/etcd_cluster.hpp"

using namespace em::test;
using namespace std::chrono_literals;

TEST_CASE("etcd stopped: the cycle stops before applying anything, and emsd keeps running") {
  EM_SKIP_WITHOUT_ETCD();
  etcd_cluster etcd(1);
  fleet_fixture f(etcd.section(""));
  const auto ex01 = f.fleet_server("EX01", "initial_delay = \"1h\"\n");
  f.publish(ping_config);
  background_emsd daemon(ex01);
  REQUIRE(wait_for(f.dir / "run" / "EX01.sock"));
  REQUIRE(f.emctl(ex01, {"check-now"}).exit_code == 0);

  etcd.stop_all();
  const std::string refused = "store unavailable: " + etcd.endpoints()[0] + ": connection refused";

  auto once = f.emsd_once(f.fleet_server("EX02"));
  CHECK(once.exit_code == 1);
  CHECK(once.err == "emsd: " + refused + "\n");

  auto get = f.emctl(ex01, {"get-server"});
  CHECK(get.exit_code == 1);
  CHECK(get.err == "emctl: " + refused + "\n");
  CHECK(get.out.empty());

  // A new document arrives while etcd is down: nothing of it is applied.
  f.publish(std::string(ping_config) + m1_config);
  auto now = f.emctl(ex01, {"check-now"});
  CHECK(now.exit_code == 1);
  CHECK_THAT(now.err, Catch::Contains(refused));
  CHECK_FALSE(f.marker_on("EX01", "m1-a"));
  CHECK(daemon.running());
  CHECK_THAT(f.log_of("EX01"), Catch::Contains("EventId=1008;S:Message=" + refused));

  // Back again: the next cycle (a retry, or check-now) applies it.
  etcd.start_all();
  CHECK(eventually([&] { return f.emctl(ex01, {"check-now"}).exit_code == 0; }, 20s));
  CHECK(f.marker_on("EX01", "m1-a"));
  CHECK(f.status_of(ex01, "EX01", "M1.1") == "Applied");
  CHECK(daemon.stop(SIGTERM) == 0);
}

TEST_CASE("losing one member of three changes nothing visible") {
  EM_SKIP_WITHOUT_ETCD();
  etcd_cluster etcd(3);
  fleet_fixture f(etcd.section(""));
  const auto ex01 = f.fleet_server("EX01");
  const auto ex02 = f.fleet_server("EX02");
  f.publish(ping_config);
  background_emsd one(ex01);
  background_emsd two(ex02);
  for (const auto& [conf, name] : {std::pair{ex01, "EX01"}, std::pair{ex02, "EX02"}})
    REQUIRE(eventually([&] { return f.status_of(conf, name, "PING1.1") == "Applied"; }, 20s));

  // Whichever member each emsd and emctl happen to talk to, one goes.
  etcd.kill_member(0);
  auto off = f.emctl(ex01, {"set-org", "--mitigations-enabled=false"});
  INFO(off.err);
  CHECK(off.exit_code == 0);
  for (const auto& [conf, name] : {std::pair{ex01, "EX01"}, std::pair{ex02, "EX02"}})
    CHECK(eventually([&] { return f.status_of(conf, name, "PING1.1") == "Disabled"; }, 20s));
  auto list = f.emctl(ex02, {"get-server"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("Name : EX01") && Catch::Contains("Name : EX02") &&
                           !Catch::Contains("Offline"));
  CHECK(f.emctl(ex02, {"check-now"}).exit_code == 0);

  // And back: the member rejoins; another one may go.
  etcd.start_member(0);
  etcd.kill_member(2);
  auto on = f.emctl(ex02, {"set-org", "--mitigations-enabled=true"});
  CHECK(on.exit_code == 0);
  for (const auto& [conf, name] : {std::pair{ex01, "EX01"}, std::pair{ex02, "EX02"}})
    CHECK(eventually([&] { return f.status_of(conf, name, "PING1.1") == "Applied"; }, 20s));
  CHECK(one.running());
  CHECK(two.running());
  CHECK(one.stop(SIGTERM) == 0);
  CHECK(two.stop(SIGTERM) == 0);
}
