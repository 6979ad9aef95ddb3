#include "tests/support/net/feed_server_process.hpp"

#include <chrono>

#include "tests/support/test_paths.hpp"

namespace em::test {

feed_server_process start_feed_server(const std::vector<std::string>& args, bool tls) {
  std::vector<std::string> argv{emfeed_path().string(), "serve", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  feed_server_process server;
  server.process = std::make_unique<child_process>(argv);
  const std::string marker =
      std::string("Listening on ") + (tls ? "https" : "http") + "://127.0.0.1:";
  if (server.process->wait_for_output(marker, std::chrono::seconds(10)))
    server.port = port_after(server.process->out(), marker);
  return server;
}

}  // namespace em::test
