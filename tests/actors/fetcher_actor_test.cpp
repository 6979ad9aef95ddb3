#include <catch2/catch.hpp>

#include "actors/fetcher_actor.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em;

namespace {

struct fetcher_fixture : test::actor_fixture {
  test::temp_dir dir;
  std::shared_ptr<test::stage_script> verifier_script = std::make_shared<test::stage_script>();
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);
  verifier_actor verifier = spawn(test::mock_verifier, verifier_script);

  fetcher_actor spawn_fetcher(const std::string& url, std::uint64_t max_size = 1024) {
    return spawn(em::fetcher, fetch_settings{url, max_size}, verifier, audit);
  }
};

}  // namespace

TEST_CASE_METHOD(fetcher_fixture,
                 "the fetched bytes go to the verifier, whose answer ends the cycle") {
  test::write_text(dir / "doc.xml", "<EOCS>signed bytes</EOCS>");
  auto url = "file://" + (dir / "doc.xml").string();
  auto report = request<cycle_report>(spawn_fetcher(url), run_atom::value);
  REQUIRE(report);
  CHECK(report->result == "Completed: scripted");
  REQUIRE(verifier_script->fetched.size() == 1);
  CHECK(verifier_script->fetched[0].bytes == "<EOCS>signed bytes</EOCS>");
  CHECK(verifier_script->fetched[0].source == url);
  CHECK(journal->logged(log_level::information, "Fetching mitigations from " + url));
  CHECK(journal->count_events(1008) == 0);
}

TEST_CASE_METHOD(fetcher_fixture, "the verifier's rejection comes back to the requester") {
  test::write_text(dir / "doc.xml", "<EOCS/>");
  verifier_script->fail = make_error(cycle_errc::rejected, "bad digest");
  auto report =
      request<cycle_report>(spawn_fetcher("file://" + (dir / "doc.xml").string()), run_atom::value);
  REQUIRE_FALSE(report);
  CHECK(reason_of(report.error()) == "bad digest");
}

TEST_CASE_METHOD(fetcher_fixture, "a fetch failure ends the cycle with its reason and event 1008") {
  auto check_failure = [&](const std::string& url, std::uint64_t max, const std::string& why) {
    auto report = request<cycle_report>(spawn_fetcher(url, max), run_atom::value);
    REQUIRE_FALSE(report);
    CHECK(report.error().category() == cycle_error_category);
    CHECK(report.error().code() == static_cast<std::uint8_t>(cycle_errc::fetch_failed));
    CHECK_THAT(reason_of(report.error()), Catch::Contains(why));
    CHECK(journal->logged(log_level::error, why));
  };
  check_failure("file://" + (dir / "missing.xml").string(), 1024, "missing.xml does not exist");
  test::write_text(dir / "big.xml", std::string(2048, 'x'));
  check_failure("file://" + (dir / "big.xml").string(), 1024, "over the limit of 1024");
  check_failure("https://127.0.0.1:1/x", 1024, "https:// feeds are not supported");
  CHECK(journal->count_events(1008) == 3);
  CHECK(verifier_script->fetched.empty());
}
