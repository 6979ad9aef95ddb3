// SPEC 12 end to end: a running emsd with `[schedule] long_poll = true`
// against the real `emfeed serve`, and against Debian's nginx, a feed that
// does not long-poll.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <thread>

#include "tests/e2e/transport/transport_fixture.hpp"
#include "tests/support/nginx/nginx_feed.hpp"
#include "tests/support/nginx/nginx_process.hpp"
#include "tests/support/sample_feed.hpp"
#include "tests/support/test_paths.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

// PING1 and a second heartbeat, PING2: what the publisher adds.
std::string two_pings() {
  std::string doc = ping_document;
  doc.insert(doc.rfind("</EOCS>"),
             R"(  <Config id="PING2" desc="A second heartbeat, published later.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping mitigation action."><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
)");
  return doc;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

struct long_poll_fixture : transport_fixture {
  std::unique_ptr<child_process> daemon;

  void start_daemon() {
    daemon = std::make_unique<child_process>(
        std::vector<std::string>{emsd_path().string(), "--config", (dir / "emsd.conf").string()});
  }

  // SIGTERM: a clean stop, exit 0.
  void stop_daemon() {
    daemon->signal(SIGTERM);
    auto code = daemon->wait(20s);
    REQUIRE(code);
    CHECK(*code == 0);
  }

  bool applied(const std::string& id) {
    auto get = emctl({"get-server", "EX01", "--json"});
    if (get.exit_code != 0) return false;
    auto j = nlohmann::json::parse(get.out);
    if (j.is_array()) j = j.at(0);
    for (const auto& a : j["MitigationsApplied"])
      if (a == id) return true;
    return false;
  }

  // Waits for `id` in MitigationsApplied; how long it took, or nullopt.
  std::optional<steady::duration> wait_applied(const std::string& id, steady::duration limit) {
    auto start = steady::now();
    while (steady::now() - start < limit) {
      if (applied(id)) return steady::now() - start;
      std::this_thread::sleep_for(50ms);
    }
    return std::nullopt;
  }

  bool wait_log(const std::string& text, steady::duration limit, std::size_t times = 1) {
    auto start = steady::now();
    while (steady::now() - start < limit) {
      if (count_of(log_text(), text) >= times) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  // The publisher's way: sign aside, then an atomic rename over the served file.
  void publish(const std::filesystem::path& served, const std::string& sequence) {
    auto signed_file = dir / "feed.next";
    auto r = sign_feed(two_pings(), signed_file, sequence);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::filesystem::rename(signed_file, served);
  }
};

// Context switches of every thread of process `pid`: each is a wake-up.
long wake_ups(int pid) {
  long n = 0;
  for (const auto& task : std::filesystem::directory_iterator(std::filesystem::path("/proc") /
                                                              std::to_string(pid) / "task")) {
    std::istringstream status(read_text(task.path() / "status"));
    std::string key;
    long value = 0;
    while (status >> key)
      if (key.find("ctxt_switches:") != std::string::npos && status >> value) n += value;
  }
  return n;
}

const std::string hourly =
    "[schedule]\ninitial_delay = \"1h\"\ninterval = \"1h\"\nlong_poll = true\n";

}  // namespace

TEST_CASE_METHOD(long_poll_fixture,
                 "issue_14 a running emsd with long_poll applies a newly served document at once, "
                 "without check-now, an hour before its schedule") {
  start_feed();
  configure(feed_url(), tls_pki().ca, "", hourly);
  auto first = emsd_once();  // PING1 accepted: its ETag is what the long-poll names
  INFO(first.out << first.err << log_text());
  REQUIRE(first.exit_code == 0);

  start_daemon();
  REQUIRE(wait_log("Long-poll of " + feed_url(), 10s));
  std::this_thread::sleep_for(1s);  // the request reaches the feed and is held there
  CHECK_FALSE(applied("PING2.1"));

  publish(dir / "feed.xml", "2");
  auto took = wait_applied("PING2.1", 30s);
  INFO(log_text() << feed->out());
  REQUIRE(took);
  // An hour before the schedule; in practice well under a second on loopback.
  CHECK(*took < 10s);
  auto log = log_text();
  CHECK_THAT(log, Catch::Contains("The feed has a new document (ETag "));
  CHECK_THAT(log, Catch::Contains(" by long-poll (ETag "));
  CHECK(count_of(log, "Fetching mitigations from") == 1);  // emsd --once's only: no second GET
  CHECK(feed->wait_for_output("GET /getexchangemitigations 200", 5s));
  CHECK_THAT(feed->out(), Catch::Contains("(new document after a wait of "));

  stop_daemon();
}

TEST_CASE_METHOD(long_poll_fixture,
                 "issue_14 a feed without long-poll support is checked on schedule, said once") {
  if (!std::filesystem::exists(nginx_binary())) {
    WARN("skipped: Debian's nginx is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  auto served = dir / "www" / "feed.xml";
  std::filesystem::create_directories(served.parent_path());
  std::filesystem::copy_file(dir / "feed.xml", served);
  nginx_feed nginx(served, "/getexchangemitigations", tls_pki().server_cert, tls_pki().server_key);
  configure(nginx.url(), tls_pki().ca, "",
            "[schedule]\ninitial_delay = \"2s\"\ninterval = \"2s\"\nlong_poll = true\n");
  REQUIRE(emsd_once().exit_code == 0);

  start_daemon();
  REQUIRE(wait_log("does not long-poll", 10s));
  publish(served, "2");
  auto took = wait_applied("PING2.1", 30s);
  INFO(log_text());
  REQUIRE(took);                                           // by the schedule: every 2 s here
  REQUIRE(wait_log("Fetching mitigations from", 30s, 4));  // --once's and three scheduled checks
  auto log = log_text();
  CHECK(count_of(log, "does not long-poll") == 1);
  CHECK_THAT(log, Catch::Contains("it is checked on schedule only"));
  CHECK(count_of(log, "by long-poll") == 0);
  // nginx saw the one long-poll request, answered at once, then the scheduled GETs.
  CHECK(count_of(read_text(nginx.access_log()), "GET /getexchangemitigations") >= 4);

  stop_daemon();
}

TEST_CASE_METHOD(long_poll_fixture,
                 "issue_14 after a cycle emsd sleeps until the next event: no timer left behind") {
  start_feed();
  trust_extra = "verify_timeout = \"1s\"\n";
  configure(feed_url(), tls_pki().ca, "", hourly);
  REQUIRE(emsd_once().exit_code == 0);
  start_daemon();
  REQUIRE(wait_log("Long-poll of " + feed_url(), 10s));
  std::this_thread::sleep_for(1s);
  publish(dir / "feed.xml", "2");
  REQUIRE(wait_applied("PING2.1", 30s));
  // The cycle's verification was given 1 s (trust.verify_timeout): a timeout
  // left set after its answer would wake the daemon within this window.
  std::this_thread::sleep_for(300ms);
  const auto before = wake_ups(daemon->pid());
  std::this_thread::sleep_for(2s);
  CHECK(wake_ups(daemon->pid()) == before);

  stop_daemon();
}
