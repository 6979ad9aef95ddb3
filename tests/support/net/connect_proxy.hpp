#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace em::test {

// A real HTTP CONNECT proxy on 127.0.0.1 for tests: it reads the CONNECT
// request with Beast, opens the TCP connection to the target, answers
// "200 Connection established" and relays bytes both ways until either side
// closes. It only tunnels (any other method gets 405), as TLS clients use it.
class connect_proxy {
 public:
  // `refuse`: answer every CONNECT with 403 instead of tunnelling.
  explicit connect_proxy(bool refuse = false);
  ~connect_proxy();
  connect_proxy(const connect_proxy&) = delete;
  connect_proxy& operator=(const connect_proxy&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:PORT"
  // The targets of the CONNECT requests received, e.g. "127.0.0.1:8443".
  std::vector<std::string> tunnels() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A local port nothing listens on (bound, then closed), for "proxy down" and
// "connection refused" cases.
std::uint16_t unused_port();

}  // namespace em::test
