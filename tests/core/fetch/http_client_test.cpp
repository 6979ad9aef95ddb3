#include <catch2/catch.hpp>

#include "core/fetch/http_client.hpp"
#include "tests/core/fetch/http_test_support.hpp"

using namespace em;
using namespace em::test;

TEST_CASE("a GET over HTTPS returns status, ETag and body, with SNI for host names") {
  scripted_server server(serving(http_response_text(
      200, "<EOCS/>", {{"ETag", "\"abc\""}, {"Content-Type", "application/xml"}})));
  http_request req;
  req.url = server.url("/getexchangemitigations", "localhost");
  req.headers.emplace_back("If-None-Match", "\"old\"");
  auto res = http_exchange(req, trusting_test_ca());
  CHECK(res.status == 200);
  CHECK(res.reason == "OK");
  CHECK(res.etag == "\"abc\"");
  CHECK(res.content_type == "application/xml");
  CHECK(res.body == "<EOCS/>");
  CHECK(res.url == req.url);
  auto seen = server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].target == "/getexchangemitigations");
  CHECK(seen[0].header("host") == "localhost:" + std::to_string(server.port()));
  CHECK(seen[0].header("if-none-match") == "\"old\"");
  CHECK(seen[0].sni == "localhost");
}

TEST_CASE("no SNI is sent for an IP address, whose certificate SAN is checked instead") {
  scripted_server server(serving(http_response_text(200, "x")));
  CHECK(http_exchange({"GET", server.url("/"), {}, {}}, trusting_test_ca()).status == 200);
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].sni.empty());
}

TEST_CASE("a POST carries its body and its length") {
  scripted_server server(serving(http_response_text(204, "")));
  http_request req{"POST",
                   server.url("/diagnostics"),
                   {{"Content-Type", "application/json"}},
                   "{\"ServerName\":\"EX01\"}"};
  CHECK(http_exchange(req, trusting_test_ca()).status == 204);
  auto seen = server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].body == "{\"ServerName\":\"EX01\"}");
  CHECK(seen[0].header("content-type") == "application/json");
}

TEST_CASE("http_get returns a 200's body and names any other status") {
  scripted_server ok(serving(http_response_text(200, "crl bytes")));
  CHECK(http_get(ok.url("/ca.crl"), trusting_test_ca()) == "crl bytes");
  scripted_server missing(serving("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
  auto url = missing.url("/ca.crl");
  CHECK(failure_of(fetch_failure::http_status, [&] { http_get(url, trusting_test_ca()); }) ==
        "Unexpected HTTP status: 404 Not Found from " + url);
}

TEST_CASE("plain http is refused unless allowed, and http_get for CRLs allows it") {
  server_script plain = serving(http_response_text(200, "crl over http"));
  plain.tls = false;
  scripted_server server(plain);
  auto url = server.url("/ca.crl");
  CHECK_THAT(failure_of(fetch_failure::bad_url,
                        [&] {
                          http_exchange({"GET", url, {}, {}}, {});
                        }),
             Catch::Contains("plain http:// is not allowed here"));
  http_limits limits;
  limits.total_timeout = std::chrono::seconds(5);
  CHECK(http_get(url, limits) == "crl over http");
}

TEST_CASE("redirects are refused by default and followed, over https only, when allowed") {
  scripted_server target(serving(http_response_text(200, "moved here")));
  scripted_server redirector(serving("HTTP/1.1 302 Found\r\nLocation: " + target.url("/doc") +
                                     "\r\nContent-Length: 0\r\n\r\n"));
  auto o = trusting_test_ca();
  CHECK_THAT(failure_of(fetch_failure::redirect,
                        [&] {
                          http_exchange({"GET", redirector.url("/"), {}, {}}, o);
                        }),
             Catch::Contains("redirects are not allowed"));
  o.limits.max_redirects = 1;
  auto res = http_exchange({"GET", redirector.url("/"), {}, {}}, o);
  CHECK(res.body == "moved here");
  CHECK(res.url == target.url("/doc"));

  scripted_server downgrade(serving(
      "HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:1/doc\r\nContent-Length: 0\r\n\r\n"));
  CHECK_THAT(failure_of(fetch_failure::redirect,
                        [&] {
                          http_exchange({"GET", downgrade.url("/"), {}, {}}, o);
                        }),
             Catch::Contains("never from https to http"));
}

TEST_CASE("connection failures are told apart") {
  CHECK(failure_of(fetch_failure::refused, [] {
          http_exchange({"GET", "https://127.0.0.1:1/x", {}, {}}, {});
        }) == "Connection refused: 127.0.0.1:1");
  CHECK_THAT(failure_of(fetch_failure::name_resolution,
                        [] {
                          http_exchange({"GET", "https://no-such-host.invalid/x", {}, {}}, {});
                        }),
             Catch::StartsWith("DNS name resolution failed: no-such-host.invalid"));
  CHECK_THAT(failure_of(fetch_failure::bad_url,
                        [] {
                          http_exchange({"GET", "gopher://h/x", {}, {}}, {});
                        }),
             Catch::Contains("unsupported scheme"));
}

TEST_CASE("a server that does not speak HTTP is a protocol failure") {
  scripted_server server(serving("SSH-2.0-OpenSSH_9.2\r\n"));
  CHECK_THAT(failure_of(fetch_failure::protocol,
                        [&] {
                          http_exchange({"GET", server.url("/"), {}, {}}, trusting_test_ca());
                        }),
             Catch::Contains("did not answer with HTTP"));
}
