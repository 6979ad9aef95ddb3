#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/net/child_process.hpp"

namespace em::test {

// A real `emfeed serve` on 127.0.0.1, at a port the system chose.
struct feed_server_process {
  std::unique_ptr<child_process> process;
  std::uint16_t port = 0;  // 0: it did not say it listens (its output says why)
};

// Starts `emfeed serve --listen 127.0.0.1:0 <args>` and waits up to 10 s for
// its "Listening on https://127.0.0.1:PORT" line (http:// with `tls` false).
feed_server_process start_feed_server(const std::vector<std::string>& args, bool tls = true);

}  // namespace em::test
