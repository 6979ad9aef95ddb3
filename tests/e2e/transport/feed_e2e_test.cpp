// emsd --once against the real emfeed serve: HTTPS, ETag/304, proxies,
// certificate failures and diagnostics, checked on both sides.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/transport/transport_fixture.hpp"
#include "tests/support/net/connect_proxy.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;

namespace {

server_changes proxy_change(const std::string& url) {
  return {std::nullopt, std::nullopt, std::nullopt, url};
}

server_changes data_collection(bool on) {
  return {std::nullopt, std::nullopt, on, std::nullopt};
}

}  // namespace

TEST_CASE_METHOD(transport_fixture,
                 "emsd fetches over HTTPS, verifies and applies, and the next cycle gets 304") {
  start_feed();
  configure(feed_url());
  auto first = emsd_once();
  INFO(first.out << first.err << log_text());
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("PING1.1 DoNothing: Applied"));
  auto get = emctl({"get-server", "EX01", "--json"});
  REQUIRE(get.exit_code == 0);
  auto j = nlohmann::json::parse(get.out);
  if (j.is_array()) j = j.at(0);
  CHECK(j["MitigationsApplied"] == nlohmann::json::array({"PING1.1"}));
  REQUIRE(feed->wait_for_output("GET /getexchangemitigations 200", 5s));

  auto second = emsd_once();
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK(feed->wait_for_output("GET /getexchangemitigations 304", 5s));
  auto log = log_text();
  CHECK_THAT(log, Catch::Contains(",FetchMitigation,S:LogLevel=Information;S:Message=Fetching "
                                  "mitigations from " +
                                  feed_url()));
  CHECK_THAT(log, Catch::Contains("is not modified (ETag \""));
  CHECK_THAT(log, Catch::Contains("verifying it again locally"));
  CHECK_THAT(log, Catch::Contains(",VerifyMitigation,S:LogLevel=Information;S:Message=Verified"));
}

TEST_CASE_METHOD(transport_fixture, "emsd fetches through the server's InternetWebProxy") {
  start_feed();
  configure(feed_url("localhost"));
  connect_proxy proxy;
  change_server(proxy_change(proxy.url()));
  auto r = emsd_once();
  INFO(r.out << r.err << log_text());
  REQUIRE(r.exit_code == 0);
  REQUIRE_FALSE(proxy.tunnels().empty());
  CHECK(proxy.tunnels()[0] == "localhost:" + std::to_string(feed_port));
  CHECK_THAT(log_text(), Catch::Contains(",FetchMitigation,S:LogLevel=Information;S:Message=Using "
                                         "Proxy " +
                                         proxy.url() + " To Fetch Configurations"));
}

TEST_CASE_METHOD(transport_fixture, "with the proxy down the cycle fails and says so") {
  start_feed();
  configure(feed_url());
  auto port = std::to_string(unused_port());
  change_server(proxy_change("http://127.0.0.1:" + port));
  auto r = emsd_once();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err,
             Catch::Contains("The proxy failed: cannot connect to the proxy 127.0.0.1:" + port));
  auto log = log_text();
  CHECK_THAT(log,
             Catch::Contains(",FetchMitigation,S:LogLevel=Error;S:EventId=1008;S:Message=Unable "
                             "to fetch mitigations from " +
                             feed_url() + " (Proxy): "));
}

TEST_CASE_METHOD(transport_fixture,
                 "a server certificate that does not check out stops the cycle") {
  struct bad_tls {
    const char* name;
    std::filesystem::path cert, key, ca;
    std::string kind, reason;
  };
  const auto& t = tls_pki();
  for (const auto& c : {
           bad_tls{"wrong CA", t.server_cert, t.server_key, t.other_ca, "(TlsCertificate)",
                   "TLS certificate or its chain validation failed: unable to get local issuer"},
           bad_tls{"wrong host name", t.wrong_host_cert, t.wrong_host_key, t.ca, "(TlsHostName)",
                   "TLS host name validation failed: the server's certificate is not issued for "
                   "127.0.0.1"},
           bad_tls{"expired", t.expired_cert, t.expired_key, t.ca, "(TlsCertificate)",
                   "TLS certificate or its chain validation failed: certificate has expired"},
       }) {
    INFO(c.name);
    start_feed(c.cert, c.key);
    configure(feed_url(), c.ca);
    auto r = emsd_once();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(c.reason));
    CHECK_THAT(log_text(), Catch::Contains(c.kind + ": " + c.reason));
  }
}

TEST_CASE_METHOD(transport_fixture,
                 "diagnostics are sent only when DataCollectionEnabled is true") {
  start_feed();
  configure(feed_url());
  REQUIRE(emsd_once().exit_code == 0);
  CHECK(reports().empty());
  CHECK_THAT(log_text(), Catch::Contains(",SendDiagnostics,S:LogLevel=Information;S:Message=No "
                                         "diagnostic data sent. DataCollectionEnabled is false"));

  change_server(data_collection(true));
  REQUIRE(emsd_once().exit_code == 0);
  auto files = reports();
  REQUIRE(files.size() == 1);
  auto report = nlohmann::json::parse(read_text(files[0]));
  CHECK(report["ServerName"] == "EX01");
  CHECK(report["Build"] == "15.2.1118.7");
  CHECK(report["ServiceState"] == "RunOnce");
  CHECK(report["MitigationsApplied"] == nlohmann::json::array({"PING1.1"}));
  CHECK(report["MitigationsBlocked"] == nlohmann::json::array());
  CHECK(report["OrganizationId"].get<std::string>().size() > 8);
  CHECK_THAT(log_text(), Catch::Contains(",SendDiagnostics,S:LogLevel=Information;S:Message=Sent "
                                         "diagnostic data to https://127.0.0.1:"));
  CHECK(feed->wait_for_output("POST /diagnostics 204", 5s));

  change_server(data_collection(false));
  REQUIRE(emsd_once().exit_code == 0);
  CHECK(reports().size() == 1);
}
