#include <catch2/catch.hpp>

#include "core/fetch/http_client.hpp"
#include "tests/core/fetch/http_test_support.hpp"
#include "tests/support/net/connect_proxy.hpp"

using namespace em;
using namespace em::test;

TEST_CASE("https goes through the proxy's CONNECT tunnel, TLS end to end") {
  scripted_server server(serving(http_response_text(200, "<EOCS/>", {{"ETag", "\"t\""}})));
  connect_proxy proxy;
  auto o = trusting_test_ca();
  o.proxy = proxy.url();
  auto res = http_exchange({"GET", server.url("/getexchangemitigations", "localhost"), {}, {}}, o);
  CHECK(res.body == "<EOCS/>");
  CHECK(res.etag == "\"t\"");
  REQUIRE(proxy.tunnels().size() == 1);
  CHECK(proxy.tunnels()[0] == "localhost:" + std::to_string(server.port()));
  // The request itself went inside the tunnel, in origin form.
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].target == "/getexchangemitigations");
  CHECK(server.requests()[0].sni == "localhost");
}

TEST_CASE("certificate checks still apply through the tunnel") {
  auto script = serving(http_response_text(200, "x"));
  script.cert = tls_pki().wrong_host_cert;
  script.key = tls_pki().wrong_host_key;
  scripted_server server(script);
  connect_proxy proxy;
  auto o = trusting_test_ca();
  o.proxy = proxy.url();
  failure_of(fetch_failure::tls_host_name, [&] {
    http_exchange({"GET", server.url("/"), {}, {}}, o);
  });
}

TEST_CASE("a proxy that is down, refuses, or is not http:// is a Proxy failure") {
  scripted_server server(serving(http_response_text(200, "x")));
  auto o = trusting_test_ca();
  auto port = unused_port();
  o.proxy = "http://127.0.0.1:" + std::to_string(port);
  CHECK(failure_of(fetch_failure::proxy,
                   [&] {
                     http_exchange({"GET", server.url("/"), {}, {}}, o);
                   }) == "The proxy failed: cannot connect to the proxy 127.0.0.1:" +
                             std::to_string(port) + ": Connection refused");

  connect_proxy refusing(true);
  o.proxy = refusing.url();
  CHECK_THAT(failure_of(fetch_failure::proxy,
                        [&] {
                          http_exchange({"GET", server.url("/"), {}, {}}, o);
                        }),
             Catch::Contains("answered 403 Forbidden to CONNECT 127.0.0.1:"));

  o.proxy = "https://127.0.0.1:3128";
  CHECK_THAT(failure_of(fetch_failure::proxy,
                        [&] {
                          http_exchange({"GET", server.url("/"), {}, {}}, o);
                        }),
             Catch::Contains("only http:// proxies are supported"));
  o.proxy = "proxy.example:3128";
  CHECK_THAT(failure_of(fetch_failure::proxy,
                        [&] {
                          http_exchange({"GET", server.url("/"), {}, {}}, o);
                        }),
             Catch::Contains("bad proxy URL"));
}

TEST_CASE("plain http through a proxy asks it for the absolute URL") {
  // The scripted server plays the proxy: it sees what a proxy would.
  auto script = serving(http_response_text(200, "crl"));
  script.tls = false;
  scripted_server fake_proxy(script);
  http_limits limits;
  limits.total_timeout = std::chrono::seconds(5);
  CHECK(http_get("http://crl.example/ca.crl", limits, fake_proxy.url("")) == "crl");
  REQUIRE(fake_proxy.requests().size() == 1);
  CHECK(fake_proxy.requests()[0].target == "http://crl.example/ca.crl");
  CHECK(fake_proxy.requests()[0].header("host") == "crl.example");
}
