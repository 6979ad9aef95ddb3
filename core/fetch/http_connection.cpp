#include "core/fetch/http_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <vector>

#include "core/fetch/host_resolver.hpp"
#include "core/fetch/http_common.hpp"
#include "core/util/duration.hpp"

namespace em::detail {
namespace http = beast::http;
using boost::system::error_code;
using ms = std::chrono::milliseconds;

namespace {

std::string within(const step_deadline& d) {
  return " within " + format_duration(d.limit) + " (" + d.limit_name + ")";
}

[[noreturn]] void throw_timeout(const std::string& what, const step_deadline& d) {
  throw fetch_error(fetch_failure::timeout, what + within(d));
}

}  // namespace

ms step_deadline::remaining() const {
  return std::max(ms(0), std::chrono::duration_cast<ms>(at - steady::now()));
}

exchange_deadlines::exchange_deadlines(const http_limits& limits)
    : limits_(limits), total_at_(steady::now() + limits.total_timeout) {}

step_deadline exchange_deadlines::step(ms own, const char* name) const {
  auto own_at = steady::now() + own;
  if (own_at < total_at_) return {own_at, own, name};
  return total();
}

step_deadline exchange_deadlines::connect() const {
  return step(limits_.connect_timeout, "connect timeout");
}
step_deadline exchange_deadlines::handshake() const {
  return step(limits_.handshake_timeout, "TLS handshake timeout");
}
step_deadline exchange_deadlines::total() const {
  return {total_at_, limits_.total_timeout, "total timeout"};
}

http_connection::http_connection(const http_options& options) : options_(options) {}

http_connection::~http_connection() = default;

// Starts one asynchronous step and drives the io_context until it completes;
// the stream's timer, armed by the caller, closes the socket at the deadline,
// which completes the step with beast::error::timeout.
template <class Start>
error_code http_connection::run(Start start) {
  bool done = false;
  error_code result;
  start([&](error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc_.restart();
  while (!done && ioc_.run_one()) {
  }
  if (!done) return net::error::operation_aborted;
  return result;
}

beast::tcp_stream& http_connection::lowest() {
  return tls_ ? beast::get_lowest_layer(*tls_) : *tcp_;
}

void http_connection::connect_tcp(const std::string& host, std::uint16_t port,
                                  const step_deadline& d, bool to_proxy) {
  const std::string where = (to_proxy ? "the proxy " : "") + host + ":" + std::to_string(port);
  std::vector<net::ip::tcp::endpoint> endpoints;
  try {
    for (const auto& a : resolve_host(host, d.remaining(), d.limit_name))
      endpoints.emplace_back(net::ip::make_address(a), port);
  } catch (const fetch_error& e) {
    if (to_proxy && e.failure() == fetch_failure::name_resolution)
      throw fetch_error(fetch_failure::proxy,
                        std::string("cannot resolve ") + where + ": " + e.what());
    throw;
  }
  tcp_.emplace(ioc_);
  tcp_->expires_at(d.at);
  auto ec = run([&](auto handler) { tcp_->async_connect(endpoints, handler); });
  if (!ec) return;
  if (ec == beast::error::timeout) throw_timeout("no TCP connection to " + where, d);
  throw connect_error(ec, where, to_proxy);
}

void http_connection::open(const parsed_url& url, const exchange_deadlines& deadlines) {
  proxy_url_ = parse_proxy(options_);
  proxied_ = proxy_url_.has_value();
  auto d = deadlines.connect();
  if (proxied_)
    connect_tcp(proxy_url_->host, proxy_url_->port, d, true);
  else
    connect_tcp(url.host, url.port, d, false);
  if (!url.tls()) return;
  if (proxied_) open_tunnel(url, deadlines);
  handshake(url, deadlines);
}

// HTTP CONNECT: the proxy opens a TCP tunnel to host:port and steps aside, so
// TLS runs end to end and the proxy never sees the request.
void http_connection::open_tunnel(const parsed_url& url, const exchange_deadlines& deadlines) {
  const auto d = deadlines.connect();
  const std::string proxy = proxy_url_->origin();
  auto req = make_connect_request(url);
  tcp_->expires_at(d.at);
  auto ec = run([&](auto handler) { http::async_write(*tcp_, req, handler); });
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a 200 to CONNECT has no body: the tunnel follows
  parser.header_limit(options_.limits.max_header_size);
  if (!ec) ec = run([&](auto handler) { http::async_read(*tcp_, buffer_, parser, handler); });
  if (ec == beast::error::timeout)
    throw_timeout("no answer from the proxy " + proxy + " to CONNECT", d);
  if (ec)
    throw fetch_error(fetch_failure::proxy, "CONNECT " + url.host_port() + " through " + proxy +
                                                " failed: " + ec.message());
  if (auto failure = tunnel_error(parser.get(), *proxy_url_, url, buffer_.size())) throw *failure;
}

void http_connection::handshake(const parsed_url& url, const exchange_deadlines& deadlines) {
  ssl_ctx_.emplace(net::ssl::context::tls_client);
  configure_tls_client(*ssl_ctx_, options_);
  if (options_.cert_file) use_client_certificate();
  tls_.emplace(std::move(*tcp_), *ssl_ctx_);
  tcp_.reset();
  auto rejected = prepare_tls_stream(*tls_, url);
  const auto d = deadlines.handshake();
  lowest().expires_at(d.at);
  auto ec =
      run([&](auto handler) { tls_->async_handshake(net::ssl::stream_base::client, handler); });
  if (ec == beast::error::timeout) throw_timeout("no TLS handshake with " + url.host_port(), d);
  if (ec) throw tls_failure(tls_->native_handle(), ec, url, *rejected);
}

http_response http_connection::exchange(const http::request<http::string_body>& request,
                                        const exchange_deadlines& deadlines) {
  const auto d = deadlines.total();
  lowest().expires_at(d.at);
  http::response_parser<http::string_body> parser;
  parser.body_limit(options_.limits.max_body_size);
  parser.header_limit(options_.limits.max_header_size);
  if (request.method() == http::verb::head) parser.skip(true);
  auto write = [&](auto& stream) {
    return run([&](auto handler) { http::async_write(stream, request, handler); });
  };
  // The header first, on its own: Beast 1.74's eager body read (http::async_read)
  // loses the body_limit error a Content-Length over the limit raises, and
  // then reads on until the deadline.
  auto read = [&](auto& stream) {
    auto ec = run([&](auto handler) { http::async_read_header(stream, buffer_, parser, handler); });
    if (ec || parser.is_done()) return ec;
    if (auto length = parser.content_length(); length && *length > options_.limits.max_body_size)
      return error_code(http::error::body_limit);
    return run([&](auto handler) { http::async_read(stream, buffer_, parser, handler); });
  };
  auto ec = tls_ ? write(*tls_) : write(*tcp_);
  if (ec == beast::error::timeout) throw_timeout("the request was not sent", d);
  if (ec) throw fetch_error(fetch_failure::unreachable, "sending the request: " + ec.message());
  ec = tls_ ? read(*tls_) : read(*tcp_);
  // A TLS server that closes without close_notify ends a body delimited by the
  // end of the connection the same way; what it sent is all there is (and a
  // truncated signed document fails verification anyway).
  if (ec == net::ssl::error::stream_truncated && parser.is_header_done() && !parser.is_done()) {
    parser.put_eof(ec);
  }
  if (ec) {
    if (is_timeout(ec)) throw_timeout("the response was not complete", d);
    throw read_error(ec, parser.is_header_done(), options_.limits);
  }
  return to_http_response(parser.get());
}

// The client certificate goes with its chain, so the server can build the
// path to its CA; a key that does not match the certificate is refused here,
// before the handshake, with the files named.
void http_connection::use_client_certificate() {
  const auto cert = options_.cert_file->string();
  const auto key = options_.key_file ? options_.key_file->string() : cert;
  error_code ec;
  ssl_ctx_->use_certificate_chain_file(cert, ec);
  if (ec)
    throw fetch_error(fetch_failure::tls_certificate,
                      "cannot load the client certificate " + cert + ": " + ec.message());
  ssl_ctx_->use_private_key_file(key, net::ssl::context::pem, ec);
  if (ec)
    throw fetch_error(fetch_failure::tls_certificate,
                      "cannot load the client key " + key + ": " + ec.message());
  if (SSL_CTX_check_private_key(ssl_ctx_->native_handle()) != 1)
    throw fetch_error(fetch_failure::tls_certificate,
                      "the client key " + key + " does not match the certificate " + cert);
}

// A stream may stay silent for hours; without probes a peer that vanished
// (power lost, cable pulled) would leave the reader waiting for ever.
// Probing after 5 s of silence, every 2 s, 3 times: a dead peer is found in
// about 11 s.
void http_connection::enable_tcp_keepalive() {
  const int fd = lowest().socket().native_handle();
  const int on = 1, idle = 5, interval = 2, count = 3;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

void http_connection::cancel() {
  cancelled_ = true;
  net::post(ioc_, [this] {
    error_code ignored;
    lowest().socket().close(ignored);
  });
}

http_response http_connection::stream(const http::request<http::string_body>& request,
                                      const exchange_deadlines& deadlines,
                                      const std::function<bool(std::string_view)>& on_data) {
  const auto d = deadlines.total();
  lowest().expires_at(d.at);
  auto write = [&](auto& s) {
    return run([&](auto handler) { http::async_write(s, request, handler); });
  };
  auto ec = tls_ ? write(*tls_) : write(*tcp_);
  if (ec == beast::error::timeout) throw_timeout("the request was not sent", d);
  if (ec) throw fetch_error(fetch_failure::unreachable, "sending the request: " + ec.message());

  http::response_parser<http::buffer_body> parser;
  parser.header_limit(options_.limits.max_header_size);
  parser.body_limit(boost::none);  // a stream has no end; each piece is bounded below
  auto read_header = [&](auto& s) {
    return run([&](auto handler) { http::async_read_header(s, buffer_, parser, handler); });
  };
  ec = tls_ ? read_header(*tls_) : read_header(*tcp_);
  if (ec == beast::error::timeout) throw_timeout("no answer", d);
  if (ec) throw read_error(ec, false, options_.limits);

  http_response out;
  out.status = static_cast<int>(parser.get().result_int());
  out.reason = std::string(parser.get().reason());
  out.content_type = std::string(parser.get()[http::field::content_type]);
  const bool streaming = out.status == 200;
  if (streaming) {
    lowest().expires_never();
    enable_tcp_keepalive();
  }
  char piece[16 * 1024];
  while (!parser.is_done() && !cancelled_) {
    parser.get().body().data = piece;
    parser.get().body().size = sizeof piece;
    auto read_some = [&](auto& s) {
      return run([&](auto handler) { http::async_read_some(s, buffer_, parser, handler); });
    };
    ec = tls_ ? read_some(*tls_) : read_some(*tcp_);
    if (ec == http::error::need_buffer) ec = {};
    const std::string_view got(piece, sizeof piece - parser.get().body().size);
    if (!got.empty()) {
      if (!streaming) {
        if (out.body.size() + got.size() > options_.limits.max_body_size)
          throw fetch_error(fetch_failure::too_large,
                            "the body is over the limit of " +
                                std::to_string(options_.limits.max_body_size) + " bytes");
        out.body.append(got);
      } else if (!on_data(got)) {
        break;
      }
    }
    if (cancelled_) break;
    if (ec == beast::error::timeout) throw_timeout("the response was not complete", d);
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::ssl::error::stream_truncated) {
      if (streaming) throw fetch_error(fetch_failure::unreachable, "the server ended the stream");
      break;
    }
    if (ec) throw read_error(ec, true, options_.limits);
  }
  return out;
}

}  // namespace em::detail
