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
  // SPEC 12: a long-poll request is held at most this long, whatever it asks.
  std::chrono::seconds max_wait{300};
  // Connections open at once; at the limit the server stops accepting until
  // one closes (the kernel's backlog holds the rest), so it never runs out of
  // file descriptors in the middle of a request.
  std::size_t max_connections = 10000;
  // TLS handshakes under way at once: each holds OpenSSL's record and
  // handshake buffers until it ends, so ten thousand clients connecting
  // together would cost tens of MB more for a moment, and keep it (the heap
  // does not shrink back). A handshake starts once the client has sent
  // something, so connections that stay silent take no turn; the others wait
  // theirs, within handshake_timeout.
  std::size_t max_handshakes = 256;
};

// `emfeed serve` (SPEC 7): an HTTPS server on Boost.Beast, asynchronous on
// one I/O thread (many concurrent clients, keep-alive), that serves the
// signed document at /getexchangemitigations with a strong ETag and 304 on
// If-None-Match, and stores POST /diagnostics reports. One log line per
// request goes to `log`. Long-poll (SPEC 12): a request with a matching
// If-None-Match and `Prefer: wait=N` is held, without a thread, until the
// document changes (200) or the wait ends (304).
class feed_server {
 public:
  using log_function = std::function<void(const std::string& line)>;
  using flush_function = std::function<void()>;

  // Binds and listens; throws em::error (or em::invalid_input for a bad
  // address or unreadable certificate) when it cannot. `flush`, when given,
  // is called once the lines logged while handling a burst of events are all
  // written, before the server waits again: one write for many lines.
  feed_server(const feed_server_options& options, log_function log, flush_function flush = {});
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
