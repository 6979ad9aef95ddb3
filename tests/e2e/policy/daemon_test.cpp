// The running service: one emsd per server, check-now through the control
// channel (and who may use it), SIGTERM with Start and Stop lines.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include "tests/e2e/policy/background_emsd.hpp"
#include "tests/e2e/policy/policy_fixture.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;
namespace fs = std::filesystem;

TEST_CASE_METHOD(policy_fixture,
                 "one emsd per server, check-now runs a cycle, SIGTERM stops cleanly") {
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(std::string(ping_config) + m1_config);
  background_emsd daemon(ex01);
  REQUIRE(wait_for(dir / "run" / "EX01.sock"));

  auto second = emsd_once(ex01);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.err, Catch::Contains("another emsd is already running for server EX01 (pid ") &&
                             Catch::Contains("use emctl check-now"));

  auto now = emctl(ex01, {"check-now"});
  INFO(now.err);
  CHECK(now.exit_code == 0);
  CHECK_THAT(now.out, Catch::StartsWith("Completed: 3 applied (3 new)"));
  CHECK_THAT(now.out, Catch::Contains("  M1.2 TouchFile: Applied"));
  CHECK(marker("m1-a"));

  // Another server of the same store is another service: it may run.
  auto ex02 = server("EX02", "15.2.1118.7");
  CHECK(emsd_once(ex02).exit_code == 0);

  CHECK(daemon.stop(SIGTERM) == 0);
  CHECK_FALSE(fs::exists(dir / "run" / "EX01.sock"));
  auto log = log_of("EX01");
  CHECK_THAT(log, Catch::Contains(
                      ",Start,S:LogLevel=Information;S:Message=Starting the EM Service on EX01"));
  CHECK_THAT(
      log, Catch::Contains(
               ",Stop,S:LogLevel=Information;S:Message=Stopping the EM Service: SIGTERM received"));

  // The lock went with the process.
  CHECK(emsd_once(ex01).exit_code == 0);
  auto gone = emctl(ex01, {"check-now"});
  CHECK(gone.exit_code == 1);
  CHECK_THAT(gone.err, Catch::Contains("emsd is not running"));
}

TEST_CASE_METHOD(policy_fixture, "only root or the admin group may use check-now") {
  if (::geteuid() != 0 || ::access("/usr/bin/setpriv", X_OK) != 0) {
    WARN("skipped: needs root and setpriv to act as another user");
    return;
  }
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(ping_config);
  background_emsd daemon(ex01);
  REQUIRE(wait_for(dir / "run" / "EX01.sock"));
  // nobody can read the configuration and reach the socket's folder, not the socket.
  fs::permissions(dir.path(), fs::perms::others_read | fs::perms::others_exec,
                  fs::perm_options::add);
  auto r = run_command({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        emctl_path().string(), "--config", ex01.string(), "check-now"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("permission denied"));
  CHECK_FALSE(marker("m1-a"));
  CHECK(daemon.stop(SIGTERM) == 0);
}
