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

}  // namespace

TEST_CASE_METHOD(policy_fixture, "faulty plugins fail their own actions, the others are applied") {
  for (const char* kind : {"crash", "abort", "hang", "throw"})
    fs::copy_file(fs::path(EM_FAULTY_PLUGIN_DIR) / (std::string(kind) + ".so"),
                  plugins / (std::string(kind) + ".so"));
  auto ex01 = server("EX01", "15.2.1118.7");
  {
    auto text = read_text(ex01);
    text.replace(text.find("dir = \"plugins\"\n"), 16,
                 "dir = \"plugins\"\ncall_timeout = \"2s\"\n");
    write_text(ex01, text);
  }
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

  auto mitigations = nlohmann::json::parse(emctl(ex01, {"get-mitigations", "--json"}).out);
  std::map<std::string, std::string> reason;
  for (auto& row : mitigations)
    reason[row["ID"]] = row["Reason"];
  CHECK_THAT(reason["F1.1"],
             Catch::Contains("crashed with signal 11 (SIGSEGV) during apply of F1.1"));
  CHECK_THAT(reason["F2.1"], Catch::Contains("did not finish apply of F2.1 within 2s"));
  CHECK_THAT(reason["F3.1"],
             Catch::Contains("crashed with signal 6 (SIGABRT) during apply of F3.1"));
  CHECK_THAT(reason["F4.1"], Catch::Contains("apply threw: the throw plugin gives up"));
  CHECK_THAT(log_of("EX01"), Catch::Contains("S:EventId=1008;S:Message=Mitigation F1.1 failed"));
}

TEST_CASE_METHOD(policy_fixture,
                 "the daemon keeps running through crashing plugins, cycle after cycle") {
  fs::copy_file(fs::path(EM_FAULTY_PLUGIN_DIR) / "crash.so", plugins / "crash.so");
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
