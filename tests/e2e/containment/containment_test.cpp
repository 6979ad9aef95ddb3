// A plugin that throws, hangs or crashes the process costs its own action,
// never the others' or the service (SPEC 6, issue 7).
#include <catch2/catch.hpp>

#include <signal.h>

#include "tests/e2e/policy/background_emsd.hpp"
#include "tests/e2e/policy/policy_fixture.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

std::string faulty_config(const std::string& id, const std::string& kind) {
  return "  <Config id=\"" + id + "\"><ActionList><Action type=\"" + kind +
         "Action\" scope=\"Server\"><Value>x</Value></Action></ActionList></Config>\n";
}

void install_faulty(const fs::path& plugins, const std::string& kind) {
  fs::copy_file(fs::path(EM_FAULTY_PLUGIN_DIR) / (kind + ".so"), plugins / (kind + ".so"));
}

// Plugin calls get `limit` instead of a minute, so a hang costs the test little.
void set_call_timeout(const fs::path& config, const std::string& limit) {
  auto text = read_text(config);
  text.replace(text.find("dir = \"plugins\"\n"), 16,
               "dir = \"plugins\"\ncall_timeout = \"" + limit + "\"\n");
  write_text(config, text);
}

std::map<std::string, std::string> reasons(const nlohmann::json& mitigations) {
  std::map<std::string, std::string> out;
  for (auto& row : mitigations)
    out[row["ID"]] = row["Reason"];
  return out;
}

}  // namespace

TEST_CASE_METHOD(policy_fixture, "faulty plugins fail their own actions, the others are applied") {
  for (const char* kind : {"crash", "abort", "hang", "throw"})
    install_faulty(plugins, kind);
  auto ex01 = server("EX01", "15.2.1118.7");
  set_call_timeout(ex01, "2s");
  // The faulty ones first, so the good ones run after each kind of failure.
  publish(faulty_config("F1", "crash") + faulty_config("F2", "hang") +
          faulty_config("F3", "abort") + faulty_config("F4", "throw") + m1_config + ping_config);

  auto started = std::chrono::steady_clock::now();
  auto r = emsd_once(ex01);
  auto took = std::chrono::steady_clock::now() - started;
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(took < std::chrono::seconds(30));

  auto s = statuses(ex01, "EX01");
  CHECK(s["M1.1"] == "Applied");
  CHECK(s["M1.2"] == "Applied");
  CHECK(s["PING1.1"] == "Applied");
  CHECK(marker("m1-a"));
  for (const char* id : {"F1.1", "F2.1", "F3.1", "F4.1"})
    CHECK(s[id] == "Failed");

  auto reason = reasons(nlohmann::json::parse(emctl(ex01, {"get-mitigations", "--json"}).out));
  CHECK_THAT(reason["F1.1"],
             Catch::Contains("crashed with signal 11 (SIGSEGV) during apply of F1.1"));
  CHECK_THAT(reason["F2.1"], Catch::Contains("did not finish apply of F2.1 within 2s"));
  CHECK_THAT(reason["F3.1"],
             Catch::Contains("crashed with signal 6 (SIGABRT) during apply of F3.1"));
  CHECK(reason["F4.1"] == "the throw plugin gives up");
  CHECK_THAT(log_of("EX01"), Catch::Contains("S:EventId=1008;S:Message=Mitigation F1.1 failed"));
}

TEST_CASE_METHOD(policy_fixture,
                 "the daemon keeps running through crashing plugins, cycle after cycle") {
  install_faulty(plugins, "crash");
  auto ex01 = server("EX01", "15.2.1118.7");
  publish(faulty_config("F1", "crash") + ping_config);
  background_emsd daemon(ex01);
  REQUIRE(wait_for(dir / "run" / "EX01.sock"));
  for (int cycle = 0; cycle < 3; ++cycle) {
    auto r = emctl(ex01, {"check-now"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("F1.1 crashAction: Failed (the plugin worker crashed with "
                                      "signal 11 (SIGSEGV) during apply of F1.1)"));
    CHECK_THAT(r.out, Catch::Contains("PING1.1 DoNothing: Applied"));
  }
  CHECK(daemon.running());
  CHECK(daemon.stop(SIGTERM) == 0);
}

TEST_CASE_METHOD(policy_fixture,
                 "issue_16_rollback_through_the_worker: a plugin that crashes or hangs in "
                 "rollback fails emctl rollback with emsd's words, and emctl lives") {
  install_faulty(plugins, "crash");
  install_faulty(plugins, "hang");
  auto ex01 = server("EX01", "15.2.1118.7");
  set_call_timeout(ex01, "2s");
  publish(faulty_config("F1", "crash") + faulty_config("F2", "hang") + ping_config);
  REQUIRE(emsd_once(ex01).exit_code == 0);
  auto emsd_said = reasons(nlohmann::json::parse(emctl(ex01, {"get-mitigations", "--json"}).out));
  CHECK(emsd_said["F1.1"] ==
        "the plugin worker crashed with signal 11 (SIGSEGV) during apply of F1.1");
  CHECK(emsd_said["F2.1"] ==
        "the plugin did not finish apply of F2.1 within 2s; its worker was "
        "stopped");

  auto crashed = emctl(ex01, {"rollback", "F1.1"});
  CHECK(crashed.exit_code == 1);  // an exit, not a signal: emctl itself lives
  CHECK(crashed.err ==
        "emctl: rollback of F1.1 failed: the plugin worker crashed with signal 11 "
        "(SIGSEGV) during rollback of F1.1\n");

  auto started = std::chrono::steady_clock::now();
  auto hung = emctl(ex01, {"rollback", "F2.1"});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(hung.exit_code == 1);
  CHECK(hung.err ==
        "emctl: rollback of F2.1 failed: the plugin did not finish rollback of F2.1 "
        "within 2s; its worker was stopped\n");
  CHECK_THAT(log_of("EX01"),
             Catch::Contains("S:LogLevel=Error;S:Message=Rollback of mitigation F1.1 "
                             "(crashAction) failed: the plugin worker crashed"));

  // The rollback is still on record, and PING1.1 still rolls back through a fresh worker.
  CHECK(emctl(ex01, {"rollback", "PING1.1"}).exit_code == 0);
}

TEST_CASE_METHOD(policy_fixture,
                 "issue_16_crash_at_load: emsd starts without a plugin that crashes or hangs "
                 "while loading, and its actions fail with the reason") {
  install_faulty(plugins, "loadcrash");
  install_faulty(plugins, "loadhang");
  auto ex01 = server("EX01", "15.2.1118.7");
  set_call_timeout(ex01, "2s");
  publish(faulty_config("L1", "loadcrash") + faulty_config("L2", "loadhang") + ping_config);

  auto r = emsd_once(ex01);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto s = statuses(ex01, "EX01");
  CHECK(s["PING1.1"] == "Applied");
  CHECK(s["L1.1"] == "Failed");
  CHECK(s["L2.1"] == "Failed");
  auto why = reasons(nlohmann::json::parse(emctl(ex01, {"get-mitigations", "--json"}).out));
  CHECK(why["L1.1"] ==
        "plugin 'loadcrash' (loadcrash.so), which handles loadcrashAction, was "
        "refused: the plugin worker crashed with signal 11 (SIGSEGV) while "
        "loading it");
  CHECK(why["L2.1"] ==
        "plugin 'loadhang' (loadhang.so), which handles loadhangAction, was "
        "refused: the plugin worker did not finish loading it within 2s and was "
        "stopped");
  const auto log = log_of("EX01");
  CHECK_THAT(log, Catch::Contains("S:EventId=1008;S:Message=Refused plugin " +
                                  (plugins / "loadcrash.so").string() +
                                  ": the plugin worker crashed with signal 11 (SIGSEGV) while "
                                  "loading it"));
  CHECK_THAT(log, Catch::Contains("Loaded plugin ping from "));
}
