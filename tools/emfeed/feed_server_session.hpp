#pragma once

// Internal to `emfeed serve`: one client connection. Included only by the
// units that compile Beast.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tools/emfeed/document_watch.hpp"
#include "tools/emfeed/feed_server.hpp"
#include "tools/emfeed/feed_server_document.hpp"
#include "tools/emfeed/feed_server_inbox.hpp"
#include "tools/emfeed/long_poll_waiters.hpp"

namespace emfeed {

// What every session shares; lives as long as the server. Used from the
// server's one I/O thread only.
struct feed_server_shared {
  feed_server_shared(const feed_server_options& o, feed_server::log_function l)
      : options(o), log(std::move(l)), document(o.document, o.max_document_size) {}

  feed_server_options options;
  feed_server::log_function log;
  feed_server_document document;
  std::unique_ptr<feed_server_inbox> inbox;           // null without --diagnostics-dir
  std::optional<boost::asio::ssl::context> tls;       // none with --insecure-http
  long_poll_waiters waiters;                          // the held long-poll requests
  std::unique_ptr<document_watch> watch;              // wakes them when the document changes
  std::string announced_etag;                         // the ETag the waiters were last told about
  std::size_t connections = 0;                        // open now, bounded by --max-connections
  std::function<void()> connection_closed;            // lets the acceptor resume at the limit
  std::size_t handshakes = 0;                         // TLS handshakes under way, bounded too
  std::deque<std::function<void()>> handshake_turns;  // the clients waiting to start theirs

  // The file may have changed: when its ETag did, every held request is answered.
  void document_event();
};

// A client's socket, bound to the server's io_context by type rather than
// through Asio's type-erased executor, which costs on every operation.
using feed_socket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// Starts serving `socket` (TLS handshake first unless shared.tls is empty);
// the session keeps itself alive until the connection ends.
void start_feed_session(feed_socket socket, std::shared_ptr<feed_server_shared> shared);

}  // namespace emfeed
