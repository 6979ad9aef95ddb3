#pragma once

#include <chrono>
#include <cstdint>

namespace em {

// The hard bounds of one HTTP(S) exchange. Every phase has its own deadline and
// all of them are also cut by `total_timeout`, so a server that trickles bytes,
// never answers, or sends without end is dropped within these limits whatever
// it does. The defaults suit a small document on a slow link.
struct http_limits {
  // DNS lookup and TCP connection (to the proxy when there is one, and the
  // proxy's CONNECT answer).
  std::chrono::milliseconds connect_timeout{10'000};
  // The TLS handshake, certificate checks included.
  std::chrono::milliseconds handshake_timeout{10'000};
  // Everything, from the DNS lookup to the last byte of the body, redirects included.
  std::chrono::milliseconds total_timeout{30'000};
  // The response body, after any content coding the server applied (none is asked for).
  std::uint64_t max_body_size = 1024 * 1024;
  // The status line and all header fields together.
  std::uint32_t max_header_size = 64 * 1024;
  // 0: a 3xx answer is a failure. Redirects never go from https to http.
  unsigned max_redirects = 0;
};

}  // namespace em
