// SPEC 12's long-poll actor against a scripted transport: what it asks, what
// it does with each kind of answer, and that no answer makes it spin.
#include <catch2/catch.hpp>

#include "actors/long_poll_actor.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono;
using namespace em;

namespace {

const std::string feed_url = "https://feed.example/getexchangemitigations";

// The requests the actor sent, each with the callback that answers it.
struct scripted_feed {
  struct pending {
    long_poll_request request;
    std::string proxy;
    std::function<void(long_poll_outcome)> done;
  };
  std::vector<pending> requests;

  long_poll_transport transport() {
    return [this](const long_poll_request& r, const std::string& proxy,
                  std::function<void(long_poll_outcome)> done) {
      requests.push_back({r, proxy, std::move(done)});
    };
  }
};

long_poll_outcome answer(int status, const std::string& etag, milliseconds elapsed,
                         std::optional<seconds> applied = seconds(300),
                         const std::string& bytes = {}) {
  long_poll_outcome o;
  o.status = status;
  o.etag = etag;
  o.elapsed = elapsed;
  o.applied_wait = applied;
  o.bytes = bytes;
  return o;
}

long_poll_outcome failure(const std::string& why) {
  long_poll_outcome o;
  o.failure = why;
  return o;
}

// What the timer is handed.
struct timer_journal {
  std::vector<fetched_document> documents;
};

timer_actor::behavior_type mock_timer(timer_actor::pointer, std::shared_ptr<timer_journal> j) {
  return {
      [](tick_atom) {},
      [](retry_atom) {},
      [](run_atom) -> caf::result<cycle_report> { return cycle_report{}; },
      [](settings_atom, const std::string&) {},
      [j](run_atom, const fetched_document& doc) { j->documents.push_back(doc); },
  };
}

struct long_poll_fixture : test::actor_fixture {
  test::temp_dir dir;
  std::shared_ptr<em::store> store = open_sqlite_store(dir / "state.db");
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  std::shared_ptr<timer_journal> timer_log = std::make_shared<timer_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);
  timer_actor timer = spawn(mock_timer, timer_log);
  scripted_feed feed;

  long_poll_fixture() { store->register_server("EX01", "Exchange2019", "15.2.1118.7"); }

  void store_accepted(const std::string& etag) {
    cycle_record r;
    r.checked_at = std::chrono::system_clock::now();
    r.result = "Completed";
    r.document = stored_document{feed_url, etag, "<EOCS/>", "digest", r.checked_at};
    store->record_cycle("EX01", r);
  }

  long_poll_actor start(milliseconds first_delay = minutes(10)) {
    long_poll_settings s;
    s.server_name = "EX01";
    s.url = feed_url;
    s.wait = seconds(300);
    s.first_delay = first_delay;
    s.max_backoff = hours(1);
    auto a = spawn(em::long_poll, s, feed.transport(), store, timer, audit);
    run();
    return a;
  }

  // Answers the newest request once the time it took has passed, and lets
  // the actor act on it.
  void reply(long_poll_outcome o) {
    REQUIRE_FALSE(feed.requests.empty());
    advance(o.elapsed);
    feed.requests.back().done(std::move(o));
    run();
  }
};

}  // namespace

TEST_CASE_METHOD(long_poll_fixture,
                 "issue_14 the long-poll names the stored document, hands a new one to the timer "
                 "and waits on it next") {
  store_accepted("\"v1\"");
  start();
  REQUIRE(feed.requests.size() == 1);
  CHECK(feed.requests[0].request.url == feed_url);
  CHECK(feed.requests[0].request.etag == "\"v1\"");
  CHECK(feed.requests[0].request.wait == seconds(300));

  advance(seconds(2));  // the request is out: nothing more is sent meanwhile
  CHECK(feed.requests.size() == 1);
  reply(answer(200, "\"v2\"", seconds(42), seconds(300), "<EOCS>v2</EOCS>"));
  REQUIRE(timer_log->documents.size() == 1);
  CHECK(timer_log->documents[0].bytes == "<EOCS>v2</EOCS>");
  CHECK(timer_log->documents[0].etag == "\"v2\"");
  CHECK(timer_log->documents[0].source == feed_url);
  CHECK(journal->logged(log_level::information, "The feed has a new document (ETag \"v2\""));
  REQUIRE(feed.requests.size() == 2);  // at once
  CHECK(feed.requests[1].request.etag == "\"v2\"");

  reply(answer(304, "\"v2\"", seconds(300)));  // the wait ended with no change: ask again
  REQUIRE(feed.requests.size() == 3);
  CHECK(feed.requests[2].request.etag == "\"v2\"");
  CHECK(timer_log->documents.size() == 1);
}

TEST_CASE_METHOD(long_poll_fixture,
                 "issue_14 without a stored document the first request waits for the initial "
                 "delay") {
  start(minutes(10));
  CHECK(feed.requests.empty());
  advance(minutes(9));
  CHECK(feed.requests.empty());
  store_accepted("\"v1\"");  // the first scheduled check accepted one meanwhile
  advance(minutes(1));
  REQUIRE(feed.requests.size() == 1);
  CHECK(feed.requests[0].request.etag == "\"v1\"");
}

TEST_CASE_METHOD(long_poll_fixture,
                 "issue_14 a feed that answers without Preference-Applied is left to the schedule, "
                 "logged once") {
  store_accepted("\"v1\"");
  start();
  reply(answer(304, "\"v1\"", milliseconds(3), std::nullopt));
  CHECK(journal->logged(log_level::information, "does not long-poll"));
  CHECK(journal->logged(log_level::information, "it is checked on schedule only"));
  advance(hours(3));
  CHECK(feed.requests.size() == 1);  // never asked again
  CHECK(timer_log->documents.empty());
  int logged = 0;
  for (const auto& l : journal->logs)
    logged += l.message.find("does not long-poll") != std::string::npos;
  CHECK(logged == 1);
}

TEST_CASE_METHOD(
    long_poll_fixture,
    "issue_14 failures back off from a second to the interval, and recovery is logged") {
  store_accepted("\"v1\"");
  start();
  reply(failure("Refused: 127.0.0.1:8443"));
  CHECK(journal->logged(log_level::warning, "The long-poll of " + feed_url + " failed (Refused"));
  for (auto wait : {seconds(1), seconds(2), seconds(4), seconds(8)}) {
    auto before = feed.requests.size();
    advance(wait - milliseconds(1));
    CHECK(feed.requests.size() == before);
    advance(milliseconds(1));
    REQUIRE(feed.requests.size() == before + 1);
    reply(failure("Refused: 127.0.0.1:8443"));
  }
  // 5 failures: the next try is 16 s later. One warning only; the rest are debug lines.
  int warnings = 0;
  for (const auto& l : journal->logs)
    warnings += l.level == log_level::warning;
  CHECK(warnings == 1);
  advance(seconds(16));
  reply(answer(304, "\"v1\"", seconds(300)));
  CHECK(journal->logged(log_level::information, "works again after 5 failure(s)"));
  CHECK(feed.requests.size() == 7);  // and at once the next wait
  // An HTTP error is a failure too.
  reply(answer(503, "", milliseconds(5)));
  CHECK(feed.requests.size() == 7);
  advance(seconds(1));
  CHECK(feed.requests.size() == 8);
}

TEST_CASE_METHOD(
    long_poll_fixture,
    "issue_14 no answer makes the long-poll spin: early 304s and quick 200s back off") {
  store_accepted("\"v1\"");
  start();
  // A feed that claims to wait but answers 304 at once is asked more and more slowly.
  reply(answer(304, "\"v1\"", milliseconds(2)));
  CHECK(journal->logged(log_level::warning, "asking again more slowly"));
  CHECK(feed.requests.size() == 1);
  advance(seconds(1));
  REQUIRE(feed.requests.size() == 2);
  reply(answer(304, "\"v1\"", milliseconds(2)));
  advance(seconds(1));
  CHECK(feed.requests.size() == 2);
  advance(seconds(1));
  REQUIRE(feed.requests.size() == 3);
  // A document changing at every request: the first change is asked about
  // again at once, the next ones in a row 1, 2, 4 and 8 seconds later.
  reply(answer(200, "\"n0\"", milliseconds(1), seconds(300), "<EOCS/>"));
  CHECK(feed.requests.size() == 4);
  for (int i = 1; i < 5; ++i) {
    reply(answer(200, "\"n" + std::to_string(i) + "\"", milliseconds(1), seconds(300), "<EOCS/>"));
    auto before = feed.requests.size();
    auto delay = milliseconds(1000) * (1 << (i - 1));
    advance(delay - milliseconds(1));
    CHECK(feed.requests.size() == before);
    advance(milliseconds(1));
    CHECK(feed.requests.size() == before + 1);
  }
  CHECK(timer_log->documents.size() == 5);
  // A 200 naming the ETag asked about would be answered at once forever.
  reply(answer(200, "\"n4\"", milliseconds(1), seconds(300), "<EOCS/>"));
  CHECK(journal->logged(log_level::warning, "no new ETag"));
  advance(hours(2));
  CHECK(timer_log->documents.size() == 5);
}
