// SPEC 12 on the real `emfeed serve`: held requests, answered when the
// document changes or the wait ends, many at once without a thread each.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <mutex>
#include <thread>

#include "core/fetch/long_poll_client.hpp"
#include "tests/tools/feed_server/feed_server_fixture.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

struct answered {
  std::optional<fetch_error> failure;
  long_poll_response response;
  steady::time_point at;
};

// Long-polls running on one client thread, as many as a test wants.
struct long_poll_clients {
  boost::asio::io_context ioc;
  std::mutex mutex;
  std::vector<answered> answers;
  std::thread thread;

  void add(const std::string& url, const std::string& etag, std::chrono::seconds wait,
           const http_options& options) {
    start_long_poll(ioc, {url, etag, wait}, options,
                    [this](const std::optional<fetch_error>& f, long_poll_response r) {
                      std::lock_guard<std::mutex> lock(mutex);
                      answers.push_back({f, std::move(r), steady::now()});
                    });
  }
  void run() {
    thread = std::thread([this] { ioc.run(); });
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return answers.size();
  }
  // Waits for `n` answers, at most `limit`.
  bool wait_for(std::size_t n, std::chrono::milliseconds limit) {
    auto until = steady::now() + limit;
    while (count() < n && steady::now() < until)
      std::this_thread::sleep_for(10ms);
    return count() >= n;
  }
  ~long_poll_clients() {
    ioc.stop();
    if (thread.joinable()) thread.join();
  }
};

}  // namespace

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 a long-poll is held until the wait ends, then 304 with "
                 "Preference-Applied") {
  start();
  auto etag = get().etag;
  long_poll_clients clients;
  auto started = steady::now();
  clients.add(url("/getexchangemitigations"), etag, 2s, options());
  clients.run();
  REQUIRE(clients.wait_for(1, 10s));
  const auto& a = clients.answers[0];
  REQUIRE_FALSE(a.failure);
  CHECK(a.response.response.status == 304);
  CHECK(a.response.response.etag == etag);
  CHECK(a.response.applied_wait == 2s);
  CHECK(a.at - started >= 1900ms);
  CHECK(a.at - started < 5s);
  CHECK(server->wait_for_output("304 0 (not modified after a wait of 2.", 5s));
}

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 a new document answers every held request at once with 200") {
  start();
  auto etag = get().etag;
  long_poll_clients clients;
  constexpr std::size_t waiting = 64;
  for (std::size_t i = 0; i < waiting; ++i)
    clients.add(url("/getexchangemitigations"), etag, 60s, options());
  clients.run();
  std::this_thread::sleep_for(1500ms);  // all connected and held
  CHECK(clients.count() == 0);
  // The publisher's atomic replace.
  write_text(dir / "doc.new", "<EOCS>second</EOCS>");
  auto changed = steady::now();
  std::filesystem::rename(dir / "doc.new", dir / "doc.xml");
  REQUIRE(clients.wait_for(waiting, 10s));
  for (const auto& a : clients.answers) {
    REQUIRE_FALSE(a.failure);
    CHECK(a.response.response.status == 200);
    CHECK(a.response.response.body == "<EOCS>second</EOCS>");
    CHECK(a.response.response.etag != etag);
    CHECK(a.response.applied_wait == 60s);
    CHECK(a.at - changed < 3s);  // at once, not at the end of the wait
  }
  CHECK(server->wait_for_output("answering 64 waiting request(s)", 5s));
}

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 a document written in place is announced only once it is closed") {
  start();
  auto etag = get().etag;
  long_poll_clients clients;
  clients.add(url("/getexchangemitigations"), etag, 30s, options());
  clients.run();
  std::this_thread::sleep_for(1s);
  int fd = ::open((dir / "doc.xml").c_str(), O_WRONLY | O_TRUNC);
  REQUIRE(fd >= 0);
  const std::string half = "<EOCS>thi", rest = "rd</EOCS>";
  REQUIRE(::write(fd, half.data(), half.size()) == static_cast<ssize_t>(half.size()));
  std::this_thread::sleep_for(1s);
  CHECK(clients.count() == 0);  // a half-written document is never announced
  REQUIRE(::write(fd, rest.data(), rest.size()) == static_cast<ssize_t>(rest.size()));
  ::close(fd);
  REQUIRE(clients.wait_for(1, 5s));
  CHECK(clients.answers[0].response.response.body == "<EOCS>third</EOCS>");
}

TEST_CASE_METHOD(
    feed_server_fixture,
    "issue_14 waits are cut to --max-wait, and nothing is held without a matching ETag") {
  start(true, false, {"--max-wait", "1"});
  auto etag = get().etag;
  long_poll_clients clients;
  auto started = steady::now();
  clients.add(url("/getexchangemitigations"), etag, 30s, options());
  clients.add(url("/getexchangemitigations"), "\"stale\"", 30s, options());
  clients.add(url("/getexchangemitigations"), "", 30s, options());
  clients.run();
  REQUIRE(clients.wait_for(3, 10s));
  int held = 0, at_once = 0;
  for (const auto& a : clients.answers) {
    REQUIRE_FALSE(a.failure);
    CHECK(a.response.applied_wait == 1s);  // said to every request that asked
    if (a.response.response.status == 304) {
      ++held;
      CHECK(a.at - started >= 900ms);
    } else {
      ++at_once;
      CHECK(a.response.response.status == 200);
      CHECK(a.at - started < 900ms);
    }
  }
  CHECK(held == 1);
  CHECK(at_once == 2);
  // A Prefer that is not a wait is not one: answered at once, nothing applied.
  auto plain = get({{"If-None-Match", etag}, {"Prefer", "wait=soon"}});
  CHECK(plain.status == 304);
}

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 --max-wait 0 turns long-poll off: no wait, no Preference-Applied") {
  start(true, false, {"--max-wait", "0"});
  auto etag = get().etag;
  long_poll_clients clients;
  clients.add(url("/getexchangemitigations"), etag, 30s, options());
  clients.run();
  REQUIRE(clients.wait_for(1, 5s));
  CHECK(clients.answers[0].response.response.status == 304);
  CHECK_FALSE(clients.answers[0].response.applied_wait);
}

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 at --max-connections new clients wait in the backlog until one closes") {
  start(true, false, {"--max-connections", "2", "--max-wait", "2"});
  auto etag = get().etag;
  long_poll_clients clients;
  clients.add(url("/getexchangemitigations"), etag, 2s, options());
  clients.add(url("/getexchangemitigations"), etag, 2s, options());
  clients.run();
  std::this_thread::sleep_for(500ms);
  auto started = steady::now();
  auto third = get();  // accepted only once a held one is answered and closed
  CHECK(third.status == 200);
  CHECK(steady::now() - started >= 1s);
  REQUIRE(clients.wait_for(2, 5s));
}

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 a held client that goes away is let go at once, not at the end of its "
                 "wait") {
  start();
  auto etag = get().etag;
  {
    boost::asio::io_context ioc;
    boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
    ctx.load_verify_file(tls_pki().ca.string());
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream(ioc, ctx);
    stream.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    stream.handshake(boost::asio::ssl::stream_base::client);
    const std::string request =
        "GET /getexchangemitigations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "If-None-Match: " +
        etag + "\r\nPrefer: wait=60\r\n\r\n";
    boost::asio::write(stream, boost::asio::buffer(request));
    std::this_thread::sleep_for(500ms);
    stream.shutdown();  // close_notify, then the socket closes with the scope
  }
  CHECK(server->wait_for_output("left after a wait of 0.", 5s));
  // The server is still there for the others.
  CHECK(get({{"If-None-Match", etag}}).status == 304);
}
