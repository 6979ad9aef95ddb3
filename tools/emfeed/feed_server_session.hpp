#pragma once

// Internal to `emfeed serve`: one client connection. Included only by
// feed_server.cpp and feed_server_session.cpp, the two units that compile Beast.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <optional>

#include "tools/emfeed/feed_server.hpp"
#include "tools/emfeed/feed_server_document.hpp"
#include "tools/emfeed/feed_server_inbox.hpp"

namespace emfeed {

// What every session shares; lives as long as the server.
struct feed_server_shared {
  feed_server_shared(const feed_server_options& o, feed_server::log_function l)
      : options(o), log(std::move(l)), document(o.document, o.max_document_size) {}

  feed_server_options options;
  feed_server::log_function log;
  feed_server_document document;
  std::unique_ptr<feed_server_inbox> inbox;      // null without --diagnostics-dir
  std::optional<boost::asio::ssl::context> tls;  // none with --insecure-http
};

// Starts serving `socket` (TLS handshake first unless shared.tls is empty);
// the session keeps itself alive until the connection ends.
void start_feed_session(boost::asio::ip::tcp::socket socket,
                        std::shared_ptr<feed_server_shared> shared);

}  // namespace emfeed
