#pragma once

// Shared by the http_client_test sources: options that trust the test TLS CA,
// and a check that a call fails with a given class and message.

#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "core/fetch/http_client.hpp"
#include "tests/support/net/scripted_server.hpp"
#include "tests/support/net/tls_test_pki.hpp"

namespace em::test {

inline http_options trusting_test_ca() {
  http_options o;
  o.ca_file = tls_pki().ca;
  o.limits.connect_timeout = std::chrono::seconds(2);
  o.limits.handshake_timeout = std::chrono::seconds(2);
  o.limits.total_timeout = std::chrono::seconds(5);
  return o;
}

inline server_script serving(std::string response) {
  server_script s;
  s.cert = tls_pki().server_cert;
  s.key = tls_pki().server_key;
  s.response = std::move(response);
  return s;
}

// Runs `call`, which must throw fetch_error of class `failure`; returns its message.
inline std::string failure_of(fetch_failure failure, const std::function<void()>& call) {
  try {
    call();
  } catch (const fetch_error& e) {
    INFO(e.what());
    CHECK(to_string(e.failure()) == std::string(to_string(failure)));
    return e.what();
  }
  FAIL("no fetch_error thrown");
  return {};
}

}  // namespace em::test
