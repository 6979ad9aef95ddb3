// The long-poll request (SPEC 12) over real sockets against scripted servers:
// what it sends, what it reads back, and that every limit still holds.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include "core/fetch/long_poll_client.hpp"
#include "tests/core/fetch/http_test_support.hpp"
#include "tests/support/net/connect_proxy.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;

namespace {

struct outcome {
  std::optional<fetch_error> failure;
  long_poll_response response;
};

outcome long_poll(const long_poll_request& request, const http_options& options) {
  boost::asio::io_context ioc;
  outcome out;
  int calls = 0;
  start_long_poll(ioc, request, options,
                  [&](const std::optional<fetch_error>& failure, long_poll_response r) {
                    ++calls;
                    out.failure = failure;
                    out.response = std::move(r);
                  });
  CHECK(calls == 0);  // never from inside start_long_poll
  ioc.run();
  CHECK(calls == 1);
  return out;
}

std::string failure_text(const outcome& o, fetch_failure expected) {
  REQUIRE(o.failure);
  INFO(o.failure->what());
  CHECK(to_string(o.failure->failure()) == std::string(to_string(expected)));
  return o.failure->what();
}

}  // namespace

TEST_CASE("issue_14 a long-poll sends If-None-Match and Prefer, and reads Preference-Applied") {
  scripted_server server(serving(
      http_response_text(304, "", {{"ETag", "\"v1\""}, {"Preference-Applied", "wait=120"}})));
  auto o = long_poll({server.url("/getexchangemitigations"), "\"v1\"", 120s}, trusting_test_ca());
  REQUIRE_FALSE(o.failure);
  CHECK(o.response.response.status == 304);
  CHECK(o.response.response.etag == "\"v1\"");
  CHECK(o.response.applied_wait == 120s);
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].target == "/getexchangemitigations");
  CHECK(requests[0].header("if-none-match") == "\"v1\"");
  CHECK(requests[0].header("prefer") == "wait=120");
  CHECK(requests[0].sni.empty());  // an IP address: no SNI, as http_exchange
}

TEST_CASE("issue_14 a feed that does not long-poll says nothing of the wait") {
  scripted_server server(serving(http_response_text(200, "<EOCS/>", {{"ETag", "\"v2\""}})));
  auto o = long_poll({server.url("/feed"), "", 60s}, trusting_test_ca());
  REQUIRE_FALSE(o.failure);
  CHECK(o.response.response.status == 200);
  CHECK(o.response.response.body == "<EOCS/>");
  CHECK_FALSE(o.response.applied_wait);
  CHECK(server.requests().at(0).header("if-none-match").empty());
}

TEST_CASE("issue_14 a long-poll is bounded by the wait plus the total timeout") {
  server_script s = serving("");
  s.mode = server_mode::mute;  // takes the request, never answers
  scripted_server server(s);
  auto options = trusting_test_ca();
  options.limits.total_timeout = 1s;
  auto started = std::chrono::steady_clock::now();
  auto o = long_poll({server.url("/feed"), "\"v1\"", 1s}, options);
  auto took = std::chrono::steady_clock::now() - started;
  CHECK_THAT(failure_text(o, fetch_failure::timeout),
             Catch::Contains("the response was not complete within 2s"));
  CHECK(took >= 1900ms);
  CHECK(took < 10s);
}

TEST_CASE("issue_14 a long-poll keeps the body, header and TLS checks of every fetch") {
  auto options = trusting_test_ca();
  SECTION("a body over the limit") {
    options.limits.max_body_size = 16;
    scripted_server server(serving(http_response_text(200, std::string(64, 'x'))));
    failure_text(long_poll({server.url("/feed"), "", 5s}, options), fetch_failure::too_large);
  }
  SECTION("headers over the limit") {
    server_script s = serving("");
    s.mode = server_mode::huge_headers;
    s.huge_header_bytes = 256 * 1024;
    scripted_server server(s);
    failure_text(long_poll({server.url("/feed"), "", 5s}, options),
                 fetch_failure::header_too_large);
  }
  SECTION("a certificate from a CA not trusted") {
    options.ca_file = tls_pki().other_ca;
    scripted_server server(serving(http_response_text(200, "x")));
    failure_text(long_poll({server.url("/feed"), "", 5s}, options), fetch_failure::tls_certificate);
  }
  SECTION("a certificate for another host") {
    server_script s = serving(http_response_text(200, "x"));
    s.cert = tls_pki().wrong_host_cert;
    s.key = tls_pki().wrong_host_key;
    scripted_server server(s);
    failure_text(long_poll({server.url("/feed"), "", 5s}, options), fetch_failure::tls_host_name);
  }
  SECTION("nothing listening") {
    auto url = "https://127.0.0.1:" + std::to_string(unused_port()) + "/feed";
    failure_text(long_poll({url, "", 5s}, options), fetch_failure::refused);
  }
  SECTION("plain http") {
    CHECK_THAT(failure_text(long_poll({"http://127.0.0.1:1/feed", "", 5s}, options),
                            fetch_failure::bad_url),
               Catch::Contains("plain http:// is not allowed"));
  }
}

TEST_CASE("issue_14 a long-poll goes through the proxy's CONNECT tunnel") {
  scripted_server server(
      serving(http_response_text(304, "", {{"ETag", "\"v1\""}, {"Preference-Applied", "wait=5"}})));
  connect_proxy proxy;
  auto options = trusting_test_ca();
  options.proxy = proxy.url();
  auto o = long_poll({server.url("/feed"), "\"v1\"", 5s}, options);
  REQUIRE_FALSE(o.failure);
  CHECK(o.response.applied_wait == 5s);
  CHECK(proxy.tunnels() == std::vector<std::string>{"127.0.0.1:" + std::to_string(server.port())});

  connect_proxy refusing(true);
  options.proxy = refusing.url();
  failure_text(long_poll({server.url("/feed"), "\"v1\"", 5s}, options), fetch_failure::proxy);
}
