#include <catch2/catch.hpp>

#include <algorithm>

#include "core/store/sqlite_store.hpp"
#include "tests/support/net/connect_proxy.hpp"
#include "tests/support/net/scripted_server.hpp"
#include "tests/support/net/tls_test_pki.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;
using namespace std::chrono_literals;

namespace {

const std::string success =
    "Result: Success.\n"
    "Message: The Mitigation Service endpoint is accessible from this computer.\n";
const std::string failure =
    "Result: Failed.\n"
    "Message: Unable to connect to the Mitigation Service endpoint from this computer. To learn "
    "about connectivity requirements, see https://aka.ms/HelpConnectivityEEMS.\n"
    "Reason: ";

struct connectivity_fixture {
  temp_dir dir{"emconn"};

  void configure(const std::string& url, const std::filesystem::path& ca = tls_pki().ca,
                 const std::string& extra = "") {
    write_text(dir / "emsd.conf", "[server]\nname = \"EX01\"\n[feed]\nurl = \"" + url +
                                      "\"\nca_file = \"" + ca.string() +
                                      "\"\nconnect_timeout = \"2s\"\nhandshake_timeout = \"2s\"\n"
                                      "timeout = \"3s\"\n" +
                                      extra + "[store]\npath = \"state.db\"\n");
  }

  void set_proxy(const std::string& proxy) {
    auto store = em::open_sqlite_store(dir / "state.db");
    store->register_server("EX01", "Exchange2019", "15.2.1118.7");
    store->update_server("EX01", {std::nullopt, std::nullopt, std::nullopt, proxy}, "test");
  }

  command_result test_connectivity() {
    return run_command(
        {emctl_path().string(), "--config", (dir / "emsd.conf").string(), "test-connectivity"},
        30s);
  }

  // Runs the command, which must fail; returns its reason line.
  std::string reason() {
    auto r = test_connectivity();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::StartsWith(failure));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
    return r.out.size() > failure.size() ? r.out.substr(failure.size()) : r.out;
  }
};

server_script feed_script(const std::filesystem::path& cert = tls_pki().server_cert,
                          const std::filesystem::path& key = tls_pki().server_key) {
  server_script s;
  s.cert = cert;
  s.key = key;
  s.response = http_response_text(200, "<EOCS/>");
  return s;
}

}  // namespace

TEST_CASE_METHOD(connectivity_fixture,
                 "a reachable endpoint prints exactly the two success lines") {
  scripted_server server(feed_script());
  configure(server.url("/getexchangemitigations"));
  auto r = test_connectivity();
  CHECK(r.exit_code == 0);
  CHECK(r.out == success);
  CHECK(r.err.empty());
}

TEST_CASE_METHOD(connectivity_fixture, "the test goes through the server's InternetWebProxy") {
  scripted_server server(feed_script());
  connect_proxy proxy;
  configure(server.url("/getexchangemitigations"));
  set_proxy(proxy.url());
  auto r = test_connectivity();
  CHECK(r.exit_code == 0);
  CHECK(r.out == success);
  REQUIRE(proxy.tunnels().size() == 1);
  CHECK(proxy.tunnels()[0] == "127.0.0.1:" + std::to_string(server.port()));
}

TEST_CASE_METHOD(connectivity_fixture, "each failure prints the two failure lines and its reason") {
  SECTION("wrong CA") {
    scripted_server server(feed_script());
    configure(server.url("/getexchangemitigations"), tls_pki().other_ca);
    CHECK_THAT(reason(), Catch::StartsWith("TLS certificate or its chain validation failed: "
                                           "unable to get local issuer certificate"));
  }
  SECTION("wrong host name") {
    scripted_server server(feed_script(tls_pki().wrong_host_cert, tls_pki().wrong_host_key));
    configure(server.url("/getexchangemitigations"));
    CHECK_THAT(reason(), Catch::StartsWith("TLS host name validation failed"));
  }
  SECTION("expired certificate") {
    scripted_server server(feed_script(tls_pki().expired_cert, tls_pki().expired_key));
    configure(server.url("/getexchangemitigations"));
    CHECK_THAT(reason(), Catch::StartsWith("TLS certificate or its chain validation failed: "
                                           "certificate has expired"));
  }
  SECTION("nothing listening") {
    auto port = std::to_string(unused_port());
    configure("https://127.0.0.1:" + port + "/getexchangemitigations");
    CHECK(reason() == "Connection refused: 127.0.0.1:" + port + "\n");
  }
  SECTION("unknown host") {
    configure("https://no-such-feed.invalid/getexchangemitigations");
    CHECK_THAT(reason(), Catch::StartsWith("DNS name resolution failed: no-such-feed.invalid"));
  }
  SECTION("proxy down") {
    scripted_server server(feed_script());
    configure(server.url("/getexchangemitigations"));
    auto port = std::to_string(unused_port());
    set_proxy("http://127.0.0.1:" + port);
    CHECK(reason() == "The proxy failed: cannot connect to the proxy 127.0.0.1:" + port +
                          ": Connection refused\n");
  }
  SECTION("HTTP status") {
    auto s = feed_script();
    s.response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    scripted_server server(s);
    configure(server.url("/getexchangemitigations"));
    CHECK_THAT(reason(), Catch::StartsWith("Unexpected HTTP status: 404 Not Found from https://"));
  }
  SECTION("a server that never answers") {
    auto s = feed_script();
    s.mode = server_mode::silent;
    scripted_server server(s);
    configure(server.url("/getexchangemitigations"));
    auto start = std::chrono::steady_clock::now();
    CHECK_THAT(reason(), Catch::EndsWith("within 2s (TLS handshake timeout)\n"));
    CHECK(std::chrono::steady_clock::now() - start < 5s);
  }
}
