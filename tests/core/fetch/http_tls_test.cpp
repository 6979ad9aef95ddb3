#include <catch2/catch.hpp>

#include "core/fetch/http_client.hpp"
#include "tests/core/fetch/http_test_support.hpp"

using namespace em;
using namespace em::test;

namespace {

std::string fetch_from(const std::filesystem::path& cert, const std::filesystem::path& key,
                       const http_options& options, const std::string& host = "127.0.0.1") {
  auto script = serving(http_response_text(200, "x"));
  script.cert = cert;
  script.key = key;
  scripted_server server(script);
  return http_exchange({"GET", server.url("/", host), {}, {}}, options).body;
}

}  // namespace

TEST_CASE("a server certificate from a CA that is not trusted is refused") {
  auto o = trusting_test_ca();
  o.ca_file = tls_pki().other_ca;
  auto why = failure_of(fetch_failure::tls_certificate,
                        [&] { fetch_from(tls_pki().server_cert, tls_pki().server_key, o); });
  CHECK_THAT(why, Catch::StartsWith("TLS certificate or its chain validation failed: unable to get "
                                    "local issuer certificate"));
  CHECK_THAT(why, Catch::Contains("issued by /O=EM Test/CN=EM Test TLS CA"));
}

TEST_CASE("the system store is used without a CA file, and does not know the test CA") {
  auto o = trusting_test_ca();
  o.ca_file.reset();
  failure_of(fetch_failure::tls_certificate,
             [&] { fetch_from(tls_pki().server_cert, tls_pki().server_key, o); });
}

TEST_CASE("a certificate for another host name is refused") {
  auto why = failure_of(fetch_failure::tls_host_name, [&] {
    fetch_from(tls_pki().wrong_host_cert, tls_pki().wrong_host_key, trusting_test_ca());
  });
  CHECK_THAT(why, Catch::StartsWith("TLS host name validation failed: the server's certificate is "
                                    "not issued for 127.0.0.1"));
  failure_of(fetch_failure::tls_host_name, [&] {
    fetch_from(tls_pki().wrong_host_cert, tls_pki().wrong_host_key, trusting_test_ca(),
               "localhost");
  });
  // The right certificate passes under both of its names.
  CHECK(fetch_from(tls_pki().server_cert, tls_pki().server_key, trusting_test_ca(), "localhost") ==
        "x");
}

TEST_CASE("an expired server certificate is refused, and says so") {
  auto why = failure_of(fetch_failure::tls_certificate, [&] {
    fetch_from(tls_pki().expired_cert, tls_pki().expired_key, trusting_test_ca());
  });
  CHECK_THAT(why, Catch::Contains("certificate has expired"));
}

TEST_CASE("a server that does not speak TLS fails the handshake") {
  auto script = serving("SSH-2.0-OpenSSH_9.2\r\n");
  script.tls = false;
  script.mode = server_mode::banner;
  scripted_server server(script);
  auto url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  CHECK_THAT(failure_of(fetch_failure::tls_handshake,
                        [&] {
                          http_exchange({"GET", url, {}, {}}, trusting_test_ca());
                        }),
             Catch::StartsWith("TLS handshake failed"));
}

TEST_CASE("an unreadable CA file is named") {
  auto o = trusting_test_ca();
  o.ca_file = "/nonexistent/feed-ca.pem";
  CHECK_THAT(
      failure_of(fetch_failure::tls_certificate,
                 [&] { fetch_from(tls_pki().server_cert, tls_pki().server_key, o); }),
      Catch::Contains("cannot load the trusted CA certificates from /nonexistent/feed-ca.pem"));
}
