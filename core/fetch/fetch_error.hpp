#pragma once

#include <string>

#include "core/util/error.hpp"

namespace em {

// Why an HTTP(S) exchange failed, one value per cause an operator acts on
// differently (fix DNS, open a firewall, install a CA, wait for the server…).
enum class fetch_failure {
  bad_url,           // not a URL this client can fetch (scheme, host, port)
  name_resolution,   // DNS: the host name does not resolve
  refused,           // nothing listens at the address and port
  unreachable,       // other connection failures (no route, reset…)
  proxy,             // the proxy refused, failed, or answered the CONNECT badly
  tls_handshake,     // TLS failed for another reason than the certificate (version, cipher…)
  tls_certificate,   // the server's certificate or its chain did not validate
  tls_host_name,     // the certificate is valid but not for this host
  timeout,           // a phase or the whole exchange took longer than its limit
  http_status,       // an answer, but not one the caller accepts (404, 500…)
  too_large,         // the body is over its size limit
  header_too_large,  // the status line and header fields are over their size limit
  redirect,          // a redirect that is not allowed (none by default, never to http)
  protocol,          // not valid HTTP
  internal,          // this side failed (out of memory or descriptors…)
};

// A short stable name for logs and tests: "NameResolution", "TlsCertificate", …
const char* to_string(fetch_failure failure);

// The one-line message (what()) always starts with a fixed phrase for its
// failure class (see fetch_error.cpp), then the details, so an operator reading
// the log or `emctl test-connectivity` sees the cause at once.
class fetch_error : public error {
 public:
  fetch_error(fetch_failure failure, const std::string& details);

  fetch_failure failure() const { return failure_; }

  // The fixed phrase alone, e.g. "TLS certificate or its chain validation failed".
  static const char* summary(fetch_failure failure);

 private:
  fetch_failure failure_;
};

}  // namespace em
