// Hostile servers: each must end the exchange with its named failure within
// its limit. Limits are short here so the whole file runs in a few seconds.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "core/fetch/http_client.hpp"
#include "tests/core/fetch/http_test_support.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;

namespace {

struct timed_failure {
  std::string message;
  std::chrono::milliseconds took;
};

timed_failure run_against(server_script script, const http_options& o, fetch_failure expected,
                          const char* name) {
  scripted_server server(std::move(script));
  auto start = std::chrono::steady_clock::now();
  auto message = failure_of(expected, [&] { http_exchange({"GET", server.url("/"), {}, {}}, o); });
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::cout << "hostile server (" << name << "): " << to_string(expected) << " after "
            << took.count() << " ms: " << message << "\n";
  return {message, took};
}

http_options short_limits() {
  auto o = trusting_test_ca();
  o.limits.connect_timeout = 1s;
  o.limits.handshake_timeout = 1s;
  o.limits.total_timeout = 2s;
  o.limits.max_body_size = 64 * 1024;
  o.limits.max_header_size = 8 * 1024;
  return o;
}

}  // namespace

TEST_CASE("a server that accepts and never answers ends at the handshake limit") {
  auto s = serving("");
  s.mode = server_mode::silent;
  auto r = run_against(s, short_limits(), fetch_failure::timeout, "never answers");
  CHECK_THAT(r.message, Catch::StartsWith("Timed out: no TLS handshake with 127.0.0.1:") &&
                            Catch::EndsWith(" within 1s (TLS handshake timeout)"));
  CHECK(r.took >= 900ms);
  CHECK(r.took < 1500ms);
}

TEST_CASE("a server that completes TLS and never answers ends at the total limit") {
  auto s = serving("");
  s.mode = server_mode::mute;
  auto r = run_against(s, short_limits(), fetch_failure::timeout, "answers TLS only");
  CHECK_THAT(r.message, Catch::EndsWith("the response was not complete within 2s (total timeout)"));
  CHECK(r.took < 2500ms);
}

TEST_CASE("a server that trickles one byte a second ends at the total limit") {
  auto s = serving(http_response_text(200, std::string(100, 'x')));
  s.mode = server_mode::trickle;
  s.trickle_interval = 1s;
  auto r = run_against(s, short_limits(), fetch_failure::timeout, "trickles 1 byte/s");
  CHECK_THAT(r.message, Catch::Contains("within 2s (total timeout)"));
  CHECK(r.took >= 1900ms);
  CHECK(r.took < 2500ms);
}

TEST_CASE("an endless body ends at the size limit") {
  auto s = serving("");
  s.mode = server_mode::endless_body;
  auto r = run_against(s, short_limits(), fetch_failure::too_large, "endless body");
  CHECK(r.message == "Response too large: the body is over the limit of 65536 bytes");
  CHECK(r.took < 1500ms);
}

TEST_CASE("10 MB of headers end at the header limit") {
  auto s = serving("");
  s.mode = server_mode::huge_headers;
  auto r = run_against(s, short_limits(), fetch_failure::header_too_large, "10 MB of headers");
  CHECK(r.message == "Response header too large: the header is over the limit of 8192 bytes");
  CHECK(r.took < 1500ms);
}

TEST_CASE("a Content-Length over the limit is refused before the body is read") {
  auto s = serving("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\nxx");
  auto r = run_against(s, short_limits(), fetch_failure::too_large, "announces 100 MB");
  CHECK(r.took < 1000ms);
}

TEST_CASE("a connection that cannot be made ends at the connect limit") {
  // A listener that never accepts, its one-place queue already taken: Linux
  // drops further SYNs, so the connection attempt hangs as behind a firewall.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof at;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
  REQUIRE(::listen(listener, 0) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &len) == 0);
  std::vector<int> fillers;
  for (int i = 0; i < 2; ++i) {
    int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(f, reinterpret_cast<sockaddr*>(&at), sizeof at);
    fillers.push_back(f);
  }
  std::this_thread::sleep_for(100ms);
  auto url = "https://127.0.0.1:" + std::to_string(ntohs(at.sin_port)) + "/";
  const auto options = short_limits();
  auto start = std::chrono::steady_clock::now();
  std::string outcome;
  try {
    http_exchange({"GET", url, {}, {}}, options);
  } catch (const fetch_error& e) {
    outcome = e.what();
    if (e.failure() == fetch_failure::timeout && outcome.find("TCP") != std::string::npos) {
      auto took = std::chrono::steady_clock::now() - start;
      std::cout << "unreachable server: Timeout after "
                << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                << " ms: " << outcome << "\n";
      CHECK_THAT(outcome, Catch::EndsWith("within 1s (connect timeout)"));
      CHECK(took < 1500ms);
    }
  }
  for (int f : fillers)
    ::close(f);
  ::close(listener);
  if (outcome.find("no TCP connection") == std::string::npos)
    WARN("skipped: this kernel accepted the connection anyway (" << outcome << ")");
}
