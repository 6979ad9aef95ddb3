#pragma once

// Internal to core/fetch: one HTTP(S) connection on Boost.Beast, used only by
// http_connection.cpp and http_client.cpp so Beast is compiled in those two
// translation units alone.
//
// Beast's own timeouts (beast::tcp_stream::expires_at) bound every
// asynchronous step; the steps run on a private io_context that this thread
// drives until each completes, which makes a simple synchronous API with hard
// deadlines.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/fetch/http_client.hpp"
#include "core/fetch/parsed_url.hpp"

namespace em::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
using steady = std::chrono::steady_clock;

// When a step must end: its own limit or the exchange's total, whichever
// comes first, and the name of that limit for the message.
struct step_deadline {
  steady::time_point at;
  std::chrono::milliseconds limit;
  std::string limit_name;
  std::chrono::milliseconds remaining() const;
};

class exchange_deadlines {
 public:
  explicit exchange_deadlines(const http_limits& limits);
  step_deadline connect() const;
  step_deadline handshake() const;
  step_deadline total() const;

 private:
  step_deadline step(std::chrono::milliseconds own, const char* name) const;
  http_limits limits_;
  steady::time_point total_at_;
};

class http_connection {
 public:
  explicit http_connection(const http_options& options);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  // Connects to the URL's origin, through the proxy when there is one, and
  // completes TLS for https. Throws fetch_error.
  void open(const parsed_url& url, const exchange_deadlines& deadlines);

  // Sends one request and reads its answer. Throws fetch_error.
  http_response exchange(const beast::http::request<beast::http::string_body>& request,
                         const exchange_deadlines& deadlines);

  // True when the request line must carry the absolute URL (plain http via a proxy).
  bool absolute_form() const { return proxied_ && !tls_; }

  // Sends one request and, for a 200 answer, hands its body to `on_data` as
  // it arrives (chunked bodies de-chunked) until on_data returns false, the
  // body ends, or cancel() is called; any other status is read whole
  // (bounded by max_body_size) into the returned response. The header must
  // come within the exchange's total timeout; after it, the connection may
  // stay silent for as long as the server likes (a watch): TCP keepalive
  // probes find a peer that went away. Throws fetch_error.
  http_response stream(const beast::http::request<beast::http::string_body>& request,
                       const exchange_deadlines& deadlines,
                       const std::function<bool(std::string_view)>& on_data);

  // Thread-safe: ends a stream() in progress (it returns as if the body ended)
  // or the next one at once.
  void cancel();

 private:
  void connect_tcp(const std::string& host, std::uint16_t port, const step_deadline& d,
                   bool to_proxy);
  void open_tunnel(const parsed_url& url, const exchange_deadlines& deadlines);
  void handshake(const parsed_url& url, const exchange_deadlines& deadlines);
  template <class Start>
  boost::system::error_code run(Start start);
  void use_client_certificate();
  void enable_tcp_keepalive();
  beast::tcp_stream& lowest();

  // Declared first so it is destroyed last, after every stream that uses it.
  net::io_context ioc_;
  http_options options_;
  std::optional<net::ssl::context> ssl_ctx_;
  std::optional<beast::tcp_stream> tcp_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  std::optional<parsed_url> proxy_url_;
  bool proxied_ = false;
  std::atomic<bool> cancelled_{false};
};

}  // namespace em::detail
