// [notify] (SPEC 14) with the real programs: after a cycle that applied M1
// (the real UrlRewrite rule) and after emctl rollback, a real command gets the
// JSON summary on its stdin and a real HTTPS endpoint (emfeed serve's inbox)
// receives it as a POST; a failing notifier is logged and holds nothing back.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/net/feed_server_process.hpp"
#include "tests/support/net/tls_test_pki.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/tools/rollback/rollback_fixture.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

// A notifier that keeps each JSON it gets, one file per call.
fs::path install_recorder(const rollback_fixture& f) {
  const auto script = f.path("record-notification");
  write_text(script, "#!/bin/sh\nn=$(ls '" + f.path("told").string() +
                         "' | wc -l)\n"
                         "cat > '" +
                         f.path("told").string() + "'/$n.json\n");
  fs::permissions(script, fs::perms(0755));
  fs::create_directories(f.path("told"));
  return script;
}

nlohmann::json told(const rollback_fixture& f, int n) {
  return nlohmann::json::parse(read_text(f.path("told") / (std::to_string(n) + ".json")));
}

}  // namespace

TEST_CASE_METHOD(rollback_fixture,
                 "issue_16_notify_command_gets_the_json_of_a_cycle_that_applied_m1, and of the "
                 "rollback") {
  const auto recorder = install_recorder(*this);
  write_config("[notify]\ncommand = [\"" + recorder.string() + "\"]\n");
  sign("1");
  auto once = emsd_once();
  INFO(once.out << once.err);
  REQUIRE(once.exit_code == 0);
  CHECK_THAT(once.out, Catch::Contains("M1.1 UrlRewrite: Applied"));

  auto cycle = told(*this, 0);
  CHECK(cycle["Event"] == "Cycle");
  CHECK(cycle["Server"] == "EX01");
  CHECK(cycle["Applied"] == nlohmann::json::array({"M1.1", "M2.1", "M2.2"}));
  CHECK(cycle["Failed"].empty());
  CHECK_THAT(cycle["Result"].get<std::string>(), Catch::StartsWith("Completed: 3 applied (3 new)"));
  REQUIRE(cycle["Actions"].size() == 3);
  CHECK(cycle["Actions"][0]["ID"] == "M1.1");
  CHECK(cycle["Actions"][0]["Type"] == "UrlRewrite");
  CHECK(cycle["Actions"][0]["Description"] == "Block autodiscover PowerShell requests");
  CHECK(cycle["Actions"][0]["Status"] == "Applied");
  CHECK_THAT(log_text(), Catch::Contains(",Notify,S:LogLevel=Information;S:Message=Notified " +
                                         recorder.string() + " of the Cycle on EX01"));

  // Nothing new the next time: no news.
  REQUIRE(emsd_once().exit_code == 0);
  CHECK_FALSE(fs::exists(path("told") / "1.json"));

  auto rolled = emctl({"rollback", "M1.1"});
  INFO(rolled.err);
  REQUIRE(rolled.exit_code == 0);
  auto rollback = told(*this, 1);
  CHECK(rollback["Event"] == "Rollback");
  CHECK(rollback["RolledBack"] == nlohmann::json::array({"M1.1"}));
  CHECK_FALSE(rollback["User"].get<std::string>().empty());
  CHECK(rollback["Actions"][0]["Status"] == "RolledBack");
  CHECK_THAT(rollback["Result"].get<std::string>(),
             Catch::StartsWith("Rolled back M1.1: removed rule 'EEMS M1.1 PowerShell - inbound'"));
}

TEST_CASE_METHOD(rollback_fixture,
                 "a failing notifier is logged, and the cycle and rollback stand") {
  const auto failing = path("failing-notifier");
  write_text(failing, "#!/bin/sh\necho 'pager unreachable' >&2\nexit 3\n");
  fs::permissions(failing, fs::perms(0755));
  const auto hanging = path("hanging-notifier");
  write_text(hanging, "#!/bin/sh\nsleep 60\n");
  fs::permissions(hanging, fs::perms(0755));

  write_config("[notify]\ncommand = [\"" + failing.string() + "\"]\n");
  sign("1");
  auto once = emsd_once();
  REQUIRE(once.exit_code == 0);
  CHECK_THAT(once.out, Catch::Contains("M1.1 UrlRewrite: Applied"));
  CHECK_THAT(log_text(),
             Catch::Contains(",Notify,S:LogLevel=Error;S:Message=Unable to notify of "
                             "the Cycle on EX01: notify.command " +
                             failing.string() + " exited with code 3: pager unreachable"));

  write_config("[notify]\ncommand = [\"" + hanging.string() + "\"]\ntimeout = \"1s\"\n");
  auto started = std::chrono::steady_clock::now();
  auto rolled = emctl({"rollback", "M1.1"});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(rolled.exit_code == 0);
  CHECK_THAT(rolled.out, Catch::StartsWith("Rolled back M1.1"));
  CHECK(rolled.err == "emctl: warning: unable to notify of the rollback: notify.command " +
                          hanging.string() + " did not finish within 1s and was stopped\n");
}

TEST_CASE_METHOD(rollback_fixture, "the webhook gets the same JSON as an HTTPS POST") {
  const auto& tls = tls_pki();
  sign("1");
  auto server = start_feed_server({"--cert", tls.server_cert.string(), "--key",
                                   tls.server_key.string(), "--document", path("feed.xml").string(),
                                   "--diagnostics-dir", path("inbox").string()});
  REQUIRE(server.port != 0);
  write_config("[notify]\nwebhook = \"https://127.0.0.1:" + std::to_string(server.port) +
               "/diagnostics\"\nca_file = \"" + tls.ca.string() + "\"\n");
  REQUIRE(emsd_once().exit_code == 0);
  std::vector<fs::path> posted;
  for (const auto& e : fs::directory_iterator(path("inbox")))
    posted.push_back(e.path());
  REQUIRE(posted.size() == 1);
  auto j = nlohmann::json::parse(read_text(posted[0]));
  CHECK(j["Event"] == "Cycle");
  CHECK(j["Applied"] == nlohmann::json::array({"M1.1", "M2.1", "M2.2"}));
  CHECK_THAT(log_text(), Catch::Contains("S:Message=Notified https://127.0.0.1:"));

  // A webhook that does not answer is logged, within the client's limits.
  write_config("[notify]\nwebhook = \"https://127.0.0.1:" + std::to_string(server.port) +
               "/diagnostics\"\n");  // no CA: the system store does not trust the test CA
  REQUIRE(emctl({"rollback", "M1.1"}).exit_code == 0);
  CHECK_THAT(log_text(),
             Catch::Contains(",Notify,S:LogLevel=Error;S:Message=Unable to notify of "
                             "the Rollback on EX01: notify.webhook https://127.0.0.1:"));
}
