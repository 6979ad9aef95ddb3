#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace emfeed {

struct feed_server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8443;        // 0: any free port (see feed_server::port)
  std::filesystem::path cert, key;  // PEM; the certificate file may hold the chain
  std::filesystem::path document;
  std::optional<std::filesystem::path> diagnostics_dir;  // none: POST /diagnostics is 404
  bool insecure_http = false;                            // plain HTTP, for a lab only
  std::size_t max_document_size = 16 * 1024 * 1024;
  std::size_t max_report_size = 64 * 1024;
  std::uint32_t max_header_size = 16 * 1024;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds idle_timeout{30};  // keep-alive: a quiet connection is closed after this
};

// `emfeed serve` (SPEC 7): an HTTPS server on Boost.Beast, asynchronous on
// one I/O thread (many concurrent clients, keep-alive), that serves the
// signed document at /getexchangemitigations with a strong ETag and 304 on
// If-None-Match, and stores POST /diagnostics reports. One log line per
// request goes to `log`.
class feed_server {
 public:
  using log_function = std::function<void(const std::string& line)>;

  // Binds and listens; throws em::error (or em::invalid_input for a bad
  // address or unreadable certificate) when it cannot.
  feed_server(const feed_server_options& options, log_function log);
  ~feed_server();
  feed_server(const feed_server&) = delete;
  feed_server& operator=(const feed_server&) = delete;

  std::uint16_t port() const;  // the bound port, also when 0 was asked for

  // Serves until SIGTERM or SIGINT arrives (or stop() is called), then closes
  // the listener and every connection and returns.
  void run();
  void stop();  // thread-safe

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace emfeed
