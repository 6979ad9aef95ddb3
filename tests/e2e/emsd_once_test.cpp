// End to end: the real emfeed signs, the real emsd --once fetches, verifies
// and applies through the real ping plugin on a real SQLite file, and the real
// emctl shows the result.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;

namespace {

struct service_fixture {
  temp_dir dir{"eme2e"};
  std::filesystem::path pki = test_pki();

  service_fixture() { write_config("Mailbox"); }

  void write_config(const std::string& role) {
    write_text(dir / "emsd.conf",
               "[server]\nname = \"EX01\"\nproduct = \"Exchange2019\"\nbuild = \"15.2.1118.7\"\n"
               "role = \"" +
                   role +
                   "\"\n"
                   "[feed]\nurl = \"file://" +
                   (dir / "feed.xml").string() +
                   "\"\n"
                   "[trust]\nanchors = [\"" +
                   (pki / "root.pem").string() +
                   "\"]\n"
                   "eku = [\"1.3.6.1.5.5.7.3.3\"]\nrevocation = \"off\"\n"
                   "[store]\npath = \"state.db\"\n[log]\ndir = \"logs\"\n"
                   "[plugins]\ndir = \"" +
                   plugin_dir().string() + "\"\nenable = [\"ping\"]\n");
  }

  command_result sign(const std::string& sequence, const std::string& out = "feed.xml") {
    return sign_feed(ping_document, dir / out, sequence);
  }

  command_result emsd_once() {
    return run_command({emsd_path().string(), "--config", (dir / "emsd.conf").string(), "--once"});
  }

  command_result emctl(std::vector<std::string> args) {
    args.insert(args.begin(), {emctl_path().string(), "--config", (dir / "emsd.conf").string()});
    return run_command(args);
  }

  nlohmann::json server() {
    auto r = emctl({"get-server", "EX01", "--json"});
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    return j.is_array() ? j.at(0) : j;
  }

  std::string log_text() { return read_text(dir / "logs" / "MitigationService.log"); }
};

}  // namespace

TEST_CASE_METHOD(service_fixture, "emsd --once applies a signed PING1 document end to end") {
  REQUIRE(sign("1").exit_code == 0);
  auto r = emsd_once();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("PING1.1 DoNothing: Applied"));

  auto s = server();
  CHECK(s["Name"] == "EX01");
  CHECK(s["MitigationsApplied"] == nlohmann::json::array({"PING1.1"}));
  CHECK(s["MitigationsEnabled"] == true);
  CHECK(s["Build"] == "15.2.1118.7");

  auto text = emctl({"get-server", "--property", "Name,MitigationsApplied"});
  CHECK(text.out == "Name : EX01\nMitigationsApplied : {PING1.1}\n");

  auto log = log_text();
  CHECK_THAT(log, Catch::Contains(
                      ",Start,S:LogLevel=Information;S:Message=Starting the EM Service on EX01"));
  CHECK_THAT(
      log,
      Catch::Contains(
          ",FetchMitigation,S:LogLevel=Information;S:Message=Fetching mitigations from file://"));
  CHECK_THAT(
      log,
      Catch::Contains(
          ",VerifyMitigation,S:LogLevel=Information;S:Message=Verified the mitigation document"));
  CHECK_THAT(log, Catch::Contains("S:EventId=1006;"));
  CHECK_THAT(log, Catch::Contains(",Stop,S:LogLevel=Information;"));
}

TEST_CASE_METHOD(service_fixture, "a rejected document exits 1 and changes nothing") {
  REQUIRE(sign("5").exit_code == 0);
  REQUIRE(emsd_once().exit_code == 0);
  auto before = server();

  SECTION("tampered") {
    auto doc = read_text(dir / "feed.xml");
    auto pos = doc.find("Heartbeat");
    REQUIRE(pos != std::string::npos);
    doc[pos] = 'X';
    write_text(dir / "feed.xml", doc);
    auto r = emsd_once();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("check cycle failed"));
    CHECK_THAT(log_text(),
               Catch::Contains("S:EventId=1008;S:Message=Rejected the mitigation document"));
  }
  SECTION("rolled back") {
    REQUIRE(sign("4").exit_code == 0);
    auto r = emsd_once();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("rollback: sequence 4 is lower than 5"));
  }
  SECTION("missing") {
    std::filesystem::remove(dir / "feed.xml");
    auto r = emsd_once();
    CHECK(r.exit_code == 1);
    CHECK_THAT(log_text(), Catch::Contains(",FetchMitigation,S:LogLevel=Error;"));
  }
  auto after = server();
  CHECK(after["MitigationsApplied"] == before["MitigationsApplied"]);
}

TEST_CASE_METHOD(service_fixture,
                 "emsd refuses to run on an Edge server and on a bad configuration") {
  write_config("Edge");
  auto edge = emsd_once();
  CHECK(edge.exit_code == 2);
  CHECK_THAT(edge.err, Catch::Contains("Edge"));
  write_text(dir / "emsd.conf", "[server]\nnmae = \"EX01\"\n");
  auto bad = emsd_once();
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("server.nmae"));
}
