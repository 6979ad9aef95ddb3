// trust.verify_timeout end to end (issue 12): the real emsd, running on its
// schedule, with a document whose verification wedges (its signer's CRL
// distribution point accepts the request and never answers, as a hostile or
// broken server does; each download would wait for feed.timeout). Every
// cycle is abandoned after the timeout with event 1008, and the next tick
// runs on time: the service keeps its schedule.
#include <catch2/catch.hpp>

#include <signal.h>

#include <regex>
#include <thread>

#include "tests/core/trust/cdp_pki.hpp"
#include "tests/core/trust/crl_server.hpp"
#include "tests/e2e/policy/background_emsd.hpp"
#include "tests/support/net/scripted_server.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

server_script mute_script() {
  server_script s;
  s.mode = server_mode::mute;
  s.tls = false;
  return s;
}

}  // namespace

TEST_CASE("issue_12_wedging_verification_keeps_schedule") {
  temp_dir dir{"emwedge"};
  crl_server cdp;
  scripted_server mute(mute_script());
  cdp_pki pki{dir / "pki", cdp.url("/root.crl")};
  cdp.serve_crl("/root.crl", pki.current_crl("root"));
  pki.issue_signer("signer", {mute.url("/ca.crl")});

  write_text(dir / "unsigned.xml", ping_document);
  auto signed_doc =
      run_command({emfeed_path().string(), "sign", "--key", pki.key("signer").string(), "--cert",
                   pki.pem("signer").string(), "--chain", pki.pem("ca").string(), "--sequence", "1",
                   (dir / "unsigned.xml").string(), (dir / "feed.xml").string()});
  REQUIRE(signed_doc.exit_code == 0);
  write_text(
      dir / "emsd.conf",
      "[server]\nname = \"EX01\"\nbuild = \"15.2.1118.7\"\n[feed]\nurl = \"file://" +
          (dir / "feed.xml").string() +
          "\"\ntimeout = \"10s\"\n[schedule]\ninitial_delay = \"100ms\"\ninterval = \"1s\"\n"
          "[trust]\nanchors = [\"" +
          pki.pem("root").string() +
          "\"]\ncrl_fetch = true\nverify_timeout = \"300ms\"\n[store]\npath = "
          "\"state/state.db\"\n[log]\ndir = \"logs\"\n[control]\nsocket = \"run/EX01.sock\"\n"
          "[plugins]\ndir = \"" +
          plugin_dir().string() + "\"\n");

  {
    background_emsd daemon(dir / "emsd.conf");
    REQUIRE(wait_for(dir / "run" / "EX01.sock"));
    // Five seconds: five ticks; one wedged verification alone would have held
    // the service for the ten seconds of feed.timeout, skipping every tick.
    std::this_thread::sleep_for(std::chrono::seconds(5));
    // Stopping waits for the abandoned verifications, bounded by feed.timeout.
    CHECK(daemon.stop(SIGTERM) == 0);
  }
  const std::string log = read_text(dir / "logs" / "MitigationService.log");
  INFO(log);
  const std::size_t cycles = count(log, "S:Message=Fetching mitigations from file://");
  const std::size_t timed_out =
      count(log,
            "S:EventId=1008;S:Message=Abandoned the check cycle on the document from "
            "file://" +
                (dir / "feed.xml").string() +
                ": verification timed out after 300ms (trust.verify_timeout)");
  const std::size_t abandoned =
      count(log, "S:EventId=1008;S:Message=Abandoned the check cycle on the document");
  CHECK(cycles >= 4);
  CHECK(timed_out == 2);       // then two abandoned verifications are running: no more threads
  CHECK(abandoned == cycles);  // the others: "verification not started: 2 earlier …"
  CHECK(count(log, "this one is skipped") == 0);
  CHECK(count(log, "Verified the mitigation document") == 0);
  // The two abandoned verifications asked the CDP once each, and nothing more.
  CHECK(mute.connections() == 2);
}

}  // namespace em::test
