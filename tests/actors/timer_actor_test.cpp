#include <catch2/catch.hpp>

#include "actors/timer_actor.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"

using namespace std::chrono;
using namespace em;
using em::test::actor_fixture;

namespace {

struct timer_fixture : actor_fixture {
  std::shared_ptr<test::stage_script> script = std::make_shared<test::stage_script>();
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);
  test::mock_fetcher_actor fetcher = spawn(test::mock_fetcher, script);

  timer_actor spawn_timer(timer_settings s) {
    auto t = spawn(em::timer, s, caf::actor_cast<fetcher_actor>(fetcher), audit);
    run();
    return t;
  }
};

}  // namespace

TEST_CASE_METHOD(timer_fixture,
                 "the first cycle starts initial_delay after start, then every interval") {
  spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  CHECK(script->runs == 0);
  advance(minutes(9) + seconds(59));
  CHECK(script->runs == 0);
  advance(seconds(1));
  CHECK(script->runs == 1);
  advance(minutes(59));
  CHECK(script->runs == 1);
  advance(minutes(1));
  CHECK(script->runs == 2);
  for (int i = 0; i < 3; ++i)
    advance(hours(1));
  CHECK(script->runs == 5);
}

TEST_CASE_METHOD(timer_fixture, "jitter delays each interval by at most its amount") {
  spawn_timer({minutes(10), hours(1), minutes(5), true, 42});
  advance(minutes(10));
  CHECK(script->runs == 1);
  advance(minutes(59));
  CHECK(script->runs == 1);  // never before the interval
  advance(minutes(6));
  CHECK(script->runs == 2);  // never after interval + jitter
}

TEST_CASE_METHOD(timer_fixture, "a cycle never overlaps another") {
  script->hold = true;
  auto t = spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  advance(minutes(10));
  REQUIRE(script->runs == 1);
  advance(hours(1));  // the first cycle is still running: this tick is skipped
  CHECK(script->runs == 1);
  CHECK(journal->logged(log_level::warning, "still running"));
  auto busy = request<cycle_report>(t, run_atom::value);
  REQUIRE_FALSE(busy);
  CHECK(reason_of(busy.error()) == "a check cycle is already running");

  self->send(fetcher, test::release_atom::value);
  run();
  advance(hours(1));
  CHECK(script->runs == 2);
}

TEST_CASE_METHOD(timer_fixture, "run requests start a cycle at once and answer with its outcome") {
  auto t = spawn_timer({minutes(10), hours(1), milliseconds(0), false, 1});
  auto report = request<cycle_report>(t, run_atom::value);
  REQUIRE(report);
  CHECK(report->result == "Completed: scripted");
  CHECK(script->runs == 1);
  advance(hours(5));
  CHECK(script->runs == 1);  // unscheduled (emsd --once): no ticks

  script->fail = make_error(cycle_errc::fetch_failed, "no route to host");
  auto failed = request<cycle_report>(t, run_atom::value);
  REQUIRE_FALSE(failed);
  CHECK(reason_of(failed.error()) == "no route to host");
  // A failed cycle frees the timer for the next one.
  script->fail.reset();
  CHECK(request<cycle_report>(t, run_atom::value));
}

TEST_CASE_METHOD(timer_fixture,
                 "after failed fetches the timer retries sooner, backing off to the interval") {
  script->fail = make_error(cycle_errc::fetch_failed, "connection refused");
  spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  advance(minutes(10));
  REQUIRE(script->runs == 1);  // t=10m fails: retry 1 minute later
  advance(seconds(59));
  CHECK(script->runs == 1);
  advance(seconds(1));
  CHECK(script->runs == 2);  // t=11m; then 2, 4, 8 and 16 minutes later
  for (int wait : {2, 4, 8, 16}) {
    advance(minutes(wait) - seconds(1));
    auto before = script->runs;
    advance(seconds(1));
    CHECK(script->runs == before + 1);
  }
  CHECK(script->runs == 6);  // t=41m; 32 minutes more would pass the tick at 70m
  CHECK(journal->logged(log_level::information, "Trying again after 5 failed fetch(es)"));
  advance(minutes(28));
  CHECK(script->runs == 6);
  script->fail.reset();  // the feed is back
  advance(minutes(1));
  CHECK(script->runs == 7);  // the tick at 70m
  advance(minutes(59));
  CHECK(script->runs == 7);  // no early retries after a success
  advance(minutes(1));
  CHECK(script->runs == 8);
}

TEST_CASE_METHOD(timer_fixture,
                 "a rejected document is not retried early: it would be rejected again") {
  script->fail = make_error(cycle_errc::rejected, "bad digest");
  spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  advance(minutes(10));
  advance(minutes(59));
  CHECK(script->runs == 1);
  advance(minutes(1));
  CHECK(script->runs == 2);
}

TEST_CASE_METHOD(timer_fixture, "issue_14 a long-poll's document starts a cycle on it at once") {
  auto t = spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  self->send(t, run_atom::value, fetched_document{"https://feed/x", "<EOCS>v2</EOCS>", "\"v2\""});
  run();
  REQUIRE(script->handed.size() == 1);
  CHECK(script->handed[0].bytes == "<EOCS>v2</EOCS>");
  CHECK(script->handed[0].etag == "\"v2\"");
  CHECK(script->runs == 1);
  // The schedule is unchanged: the first tick still comes at 10 minutes.
  advance(minutes(10));
  CHECK(script->runs == 2);
  CHECK(script->handed.size() == 1);
}

TEST_CASE_METHOD(timer_fixture,
                 "issue_14 a document that comes while a cycle runs is checked right after it") {
  script->hold = true;
  auto t = spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  advance(minutes(10));
  REQUIRE(script->runs == 1);
  self->send(t, run_atom::value, fetched_document{"u", "first", "\"a\""});
  self->send(t, run_atom::value, fetched_document{"u", "second", "\"b\""});
  run();
  CHECK(script->runs == 1);  // no overlap
  CHECK(journal->logged(log_level::information, "checked right after that one"));
  self->send(fetcher, test::release_atom::value);
  run();
  // Only the latest waited; it runs as soon as the scheduled cycle ends.
  REQUIRE(script->handed.size() == 1);
  CHECK(script->handed[0].bytes == "second");
  CHECK(script->runs == 2);
  self->send(fetcher, test::release_atom::value);
  run();
  CHECK(script->runs == 2);
}

TEST_CASE_METHOD(timer_fixture,
                 "issue_13_store_unavailable: a cycle that found etcd down is "
                 "tried again sooner, as a failed fetch is") {
  script->fail = make_error(cycle_errc::store_unavailable,
                            "store unavailable: https://10.0.0.1:2379: connection refused");
  spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  advance(minutes(10));
  REQUIRE(script->runs == 1);
  advance(minutes(1));
  CHECK(script->runs == 2);
  advance(minutes(2));
  CHECK(script->runs == 3);
}

TEST_CASE_METHOD(timer_fixture,
                 "a changed setting runs a decision pass at once, never beside a cycle") {
  script->hold = true;
  auto t = spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  self->send(t, settings_atom::value, std::string("MitigationsBlocked of EX01 changed"));
  run();
  CHECK(script->replays == 1);
  CHECK(script->runs == 0);  // nothing fetched
  CHECK(journal->logged(log_level::information,
                        "A setting changed (MitigationsBlocked of EX01 changed): deciding again "
                        "over the last accepted document"));

  advance(minutes(10));  // the scheduled cycle starts and is held
  REQUIRE(script->runs == 1);
  self->send(t, settings_atom::value, std::string("MitigationsEnabled of the organisation"));
  self->send(t, settings_atom::value, std::string("MitigationsEnabled of EX01"));
  run();
  CHECK(script->replays == 1);  // not beside the cycle in hand
  CHECK(journal->logged(log_level::information, "once the cycle in hand ends"));
  self->send(fetcher, test::release_atom::value);
  run();
  CHECK(script->replays == 2);  // one pass after it, for both changes
  script->hold = false;
  auto report = request<cycle_report>(t, run_atom::value);
  CHECK(report);  // and the timer is free again
}

TEST_CASE_METHOD(timer_fixture,
                 "issue_14 a long-poll's document that comes during a decision pass is checked "
                 "right after it") {
  auto t = spawn_timer({minutes(10), hours(1), milliseconds(0), true, 1});
  self->send(t, settings_atom::value, std::string("MitigationsBlocked of EX01 changed"));
  self->send(t, run_atom::value, fetched_document{"u", "new", "\"n\""});
  run();
  CHECK(script->replays == 1);
  CHECK(journal->logged(log_level::information, "checked right after that one"));
  REQUIRE(script->handed.size() == 1);  // not left waiting for the next cycle
  CHECK(script->handed[0].bytes == "new");
}
