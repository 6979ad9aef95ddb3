// The fleet simulator (tools/fleet_sim) at a small scale, against a
// 3-member etcd it starts: the figures docs/fleet.md reports for 1,000
// servers, measured the same way. They are printed, not asserted.
#include <catch2/catch.hpp>

#include "tests/support/etcd/etcd_cluster.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;

TEST_CASE("the fleet simulator's figures for 25 servers on a 3-member etcd") {
  EM_SKIP_WITHOUT_ETCD();
  auto r = run_command({EM_FLEET_SIM, "--servers", "25", "--members", "3", "--rounds", "2",
                        "--blocks", "5", "--emctl", emctl_path().string()},
                       std::chrono::seconds(240));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  WARN(r.out);
  for (const char* figure :
       {"setup: 25 servers registered", "keys and ", " bytes per server",
        "emctl set-org --mitigations-enabled=false (25 servers): every server acted",
        "emctl set-org --mitigations-enabled=true (25 servers): every server acted",
        "emctl set-server NAME --blocked=M9 (5 changes, one server each)",
        "emctl get-mitigations (every server, 25 servers): ", "etcd CPU (all members): ",
        "etcd RSS: member 0 "})
    CHECK_THAT(r.out, Catch::Contains(figure));
  CHECK_THAT(r.out, !Catch::Contains("did not act"));
}
