// SPEC 11's must-show: three emsd of one organisation (EX01, EX02, EX03) on
// one etcd, steered from any of them.
#include <catch2/catch.hpp>

#include <signal.h>

#include "core/store/etcd/etcd_store.hpp"
#include "tests/e2e/fleet/fleet_fixture.hpp"
#include "tests/e2e/policy/background_emsd.hpp"
#include "tests/support/etcd/etcd_cluster.hpp"

using namespace em::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> names_listed(const std::string& get_server_output) {
  std::vector<std::string> names;
  std::size_t at = 0;
  while ((at = get_server_output.find("Name : ", at)) != std::string::npos) {
    at += 7;
    names.push_back(get_server_output.substr(at, get_server_output.find('\n', at) - at));
  }
  return names;
}

}  // namespace

TEST_CASE("three servers of one organisation on one etcd") {
  const auto* etcd = shared_etcd();
  if (!etcd) {
    WARN("skipped: etcd is not installed (Debian's etcd-server)");
    return;
  }
  fleet_fixture f(etcd->section(""));
  const std::vector<std::string> names{"EX01", "EX02", "EX03"};
  std::map<std::string, std::filesystem::path> conf;
  for (const auto& n : names)
    conf[n] = f.fleet_server(n);
  f.publish(ping_config);

  // A block set from EX01 before M1 ever reached EX03 keeps it from EX03 alone.
  auto block = f.emctl(conf["EX01"], {"set-server", "EX03", "--blocked=M1"});
  INFO(block.err);
  REQUIRE(block.exit_code == 2);  // EX03 is not registered yet: nothing to block
  CHECK_THAT(block.err, Catch::Contains("unknown server 'EX03'"));

  std::vector<std::unique_ptr<background_emsd>> daemons;
  for (const auto& n : names)
    daemons.push_back(std::make_unique<background_emsd>(conf[n]));
  for (const auto& n : names)
    REQUIRE(eventually([&] { return f.status_of(conf[n], n, "PING1.1") == "Applied"; }, 20s));
  // One after the other on the same three daemons: starting them is most of
  // the cost; each step leaves them as the next expects (all Applied).

  // get-server from any of them lists all three, Running.
  {
    for (const auto& n : names) {
      auto r = f.emctl(conf[n], {"get-server"});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(names_listed(r.out) == names);
      CHECK_THAT(r.out, Catch::Contains("ServiceState : Running"));
      CHECK_THAT(r.out, Catch::Contains("LastSeen : 20"));
    }
  }

  // The organisation switch set from EX01 reaches the running EX02 and EX03 in seconds.
  {
    const auto asked = std::chrono::steady_clock::now();
    auto off = f.emctl(conf["EX01"], {"set-org", "--mitigations-enabled=false"});
    INFO(off.err);
    REQUIRE(off.exit_code == 0);
    for (const auto& n : {"EX02", "EX03"}) {
      REQUIRE(eventually([&] { return f.status_of(conf[n], n, "PING1.1") == "Disabled"; }, 15s));
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - asked);
      WARN(n << " recorded Disabled " << took.count() << " ms after emctl set-org started on EX01");
      // A decision pass over the last accepted document: nothing was fetched.
      CHECK_THAT(f.log_of(n), Catch::Contains("MitigationsEnabled of the organisation changed "
                                              "from True to False") &&
                                  Catch::Contains("(nothing is fetched)"));
    }
    auto on = f.emctl(conf["EX02"], {"set-org", "--mitigations-enabled=true"});
    REQUIRE(on.exit_code == 0);
    for (const auto& n : names)
      CHECK(eventually([&] { return f.status_of(conf[n], n, "PING1.1") == "Applied"; }, 15s));
    auto audit = f.emctl(conf["EX03"], {"audit", "--json"});
    REQUIRE(audit.exit_code == 0);
    auto rows = nlohmann::json::parse(audit.out);
    REQUIRE(rows.size() == 2);
  }

  // A block of M1 on EX03 set from EX01 keeps M1 from EX03 only.
  {
    auto r = f.emctl(conf["EX01"], {"set-server", "EX03", "--blocked=M1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    f.publish(std::string(ping_config) + m1_config);
    for (const auto& n : names) {
      auto now = f.emctl(conf[n], {"check-now"});
      INFO(now.err);
      CHECK(now.exit_code == 0);
    }
    auto org_store = em::open_etcd_store(f.etcd);
    for (const auto& n : {"EX01", "EX02"}) {
      CHECK(f.status_of(conf[n], n, "M1.1") == "Applied");
      CHECK(f.marker_on(n, "m1-a"));
      // What the plugin kept, through its worker, is in etcd with the rest.
      CHECK(org_store->get_plugin_value(n, "marker", "M1.1") ==
            std::optional<std::string>("applied"));
    }
    CHECK(f.status_of(conf["EX03"], "EX03", "M1.1") == "Blocked");
    CHECK(f.status_of(conf["EX03"], "EX03", "M1.2") == "Blocked");
    CHECK_FALSE(f.marker_on("EX03", "m1-a"));
    CHECK_FALSE(f.marker_on("EX03", "m1-b"));
    CHECK_FALSE(org_store->get_plugin_value("EX03", "marker", "M1.1"));
    CHECK_THAT(f.log_of("EX03"), Catch::Contains("EventId=1007"));

    // Unblocked from EX02: EX03 applies M1 within seconds, without a new fetch.
    auto unblock = f.emctl(conf["EX02"], {"set-server", "EX03", "--blocked="});
    REQUIRE(unblock.exit_code == 0);
    CHECK(eventually([&] { return f.marker_on("EX03", "m1-b"); }, 15s));
    CHECK(eventually([&] { return f.status_of(conf["EX03"], "EX03", "M1.2") == "Applied"; }, 5s));
  }

  // A stopped server is Offline at once, a killed one once its lease expired.
  {
    REQUIRE(daemons[1]->stop(SIGTERM) == 0);
    auto r = f.emctl(conf["EX01"], {"get-server", "EX02"});
    CHECK_THAT(r.out,
               Catch::Contains("ServiceState : Offline") && Catch::Contains("LastSeen : 20"));
    r = f.emctl(conf["EX01"], {"get-server", "EX03"});
    CHECK_THAT(r.out, Catch::Contains("ServiceState : Running"));

    // A crash revokes nothing: EX03 stays Running until its lease (TTL 15 s,
    // renewed every 5 s) runs out, then it is Offline, LastSeen kept.
    REQUIRE(daemons[2]->stop(SIGKILL) == 128 + SIGKILL);
    r = f.emctl(conf["EX01"], {"get-server", "EX03"});
    CHECK_THAT(r.out, Catch::Contains("ServiceState : Running"));
    auto offline = eventually(
        [&] {
          return f.emctl(conf["EX02"], {"get-server", "EX03"}).out.find("ServiceState : Offline") !=
                 std::string::npos;
        },
        25s);
    REQUIRE(offline);
    WARN("EX03 (killed) Offline " << offline->count() << " ms after SIGKILL, its lease expired");
    CHECK(*offline >= 5s);  // the lease expired: nothing revoked it
    CHECK_THAT(f.emctl(conf["EX01"], {"get-server", "EX03"}).out, Catch::Contains("LastSeen : 20"));
  }
  for (auto& d : daemons)
    if (d->running()) CHECK(d->stop(SIGTERM) == 0);
}
