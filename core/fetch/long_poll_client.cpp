#include "core/fetch/long_poll_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <memory>
#include <vector>

#include "core/fetch/host_resolver.hpp"
#include "core/fetch/http_common.hpp"
#include "core/fetch/wait_preference.hpp"
#include "core/util/duration.hpp"

namespace em {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using error_code = boost::system::error_code;
using steady = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

std::string within(ms limit, const char* name) {
  return " within " + format_duration(limit) + " (" + name + ")";
}

// One request, from DNS to the last byte; keeps itself alive through the
// handlers it hands Asio, and calls `done` exactly once.
class long_poll_op : public std::enable_shared_from_this<long_poll_op> {
 public:
  long_poll_op(net::io_context& ioc, long_poll_request request, http_options options,
               long_poll_callback done)
      : ioc_(ioc),
        request_(std::move(request)),
        options_(std::move(options)),
        done_(std::move(done)),
        started_(steady::now()) {}

  void start() {
    try {
      parse_urls();
      const auto& to = proxy_ ? *proxy_ : url_;
      const auto limit = options_.limits.connect_timeout;
      std::vector<net::ip::tcp::endpoint> endpoints;
      for (const auto& a : resolve_host(to.host, limit, "connect timeout"))
        endpoints.emplace_back(net::ip::make_address(a), to.port);
      tcp_.emplace(ioc_);
      tcp_->expires_after(limit);
      tcp_->async_connect(
          endpoints, [self = shared_from_this()](error_code ec, const net::ip::tcp::endpoint&) {
            self->on_connect(ec);
          });
    } catch (const fetch_error& e) {
      // Never call back from inside start_long_poll: the caller is not ready.
      net::post(ioc_, [self = shared_from_this(), e] { self->finish(e); });
    } catch (const std::exception& e) {
      fetch_error failure(fetch_failure::internal, e.what());
      net::post(ioc_, [self = shared_from_this(), failure] { self->finish(failure); });
    }
  }

 private:
  void parse_urls() {
    url_ = detail::parse_request_url(request_.url, options_);
    proxy_ = detail::parse_proxy(options_);
  }

  std::string where() const {
    return proxy_ ? "the proxy " + proxy_->host_port() : url_.host_port();
  }

  void on_connect(error_code ec) {
    if (ec) {
      if (detail::is_timeout(ec))
        return fail(fetch_failure::timeout,
                    "no TCP connection to " + where() +
                        within(options_.limits.connect_timeout, "connect timeout"));
      return finish(detail::connect_error(ec, where(), proxy_.has_value()));
    }
    if (proxy_ && url_.tls()) return open_tunnel();
    if (url_.tls()) return handshake();
    send();
  }

  // HTTP CONNECT, as http_exchange does it: TLS then runs end to end.
  void open_tunnel() {
    connect_req_ = detail::make_connect_request(url_);
    connect_parser_.emplace();
    connect_parser_->skip(true);  // a 200 to CONNECT has no body: the tunnel follows
    connect_parser_->header_limit(options_.limits.max_header_size);
    tcp_->expires_after(options_.limits.connect_timeout);
    http::async_write(*tcp_, connect_req_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->on_tunnel(ec);
      http::async_read(*self->tcp_, self->buffer_, *self->connect_parser_,
                       [self](error_code e, std::size_t) { self->on_tunnel(e); });
    });
  }

  void on_tunnel(error_code ec) {
    const std::string proxy = proxy_->origin();
    if (detail::is_timeout(ec))
      return fail(fetch_failure::timeout,
                  "no answer from the proxy " + proxy + " to CONNECT" +
                      within(options_.limits.connect_timeout, "connect timeout"));
    if (ec)
      return fail(fetch_failure::proxy,
                  "CONNECT " + url_.host_port() + " through " + proxy + " failed: " + ec.message());
    if (auto failure = detail::tunnel_error(connect_parser_->get(), *proxy_, url_, buffer_.size()))
      return finish(*failure);
    handshake();
  }

  void handshake() {
    try {
      ssl_ctx_.emplace(net::ssl::context::tls_client);
      detail::configure_tls_client(*ssl_ctx_, options_);
    } catch (const fetch_error& e) {
      return finish(e);
    }
    tls_.emplace(std::move(*tcp_), *ssl_ctx_);
    tcp_.reset();
    rejected_ = detail::prepare_tls_stream(*tls_, url_);
    beast::get_lowest_layer(*tls_).expires_after(options_.limits.handshake_timeout);
    tls_->async_handshake(
        net::ssl::stream_base::client, [self = shared_from_this()](error_code ec) {
          if (detail::is_timeout(ec))
            return self->fail(
                fetch_failure::timeout,
                "no TLS handshake with " + self->url_.host_port() +
                    within(self->options_.limits.handshake_timeout, "TLS handshake timeout"));
          if (ec)
            return self->finish(
                detail::tls_failure(self->tls_->native_handle(), ec, self->url_, *self->rejected_));
          self->send();
        });
  }

  // The answer may come at the end of the wait; the usual total timeout then
  // bounds its transfer.
  ms answer_limit() const {
    return std::chrono::duration_cast<ms>(request_.wait) + options_.limits.total_timeout;
  }

  void send() {
    http_request r;
    r.url = request_.url;
    if (!request_.etag.empty()) r.headers.emplace_back("If-None-Match", request_.etag);
    r.headers.emplace_back("Prefer", wait_preference(request_.wait));
    req_ = detail::make_http_request(r, url_, proxy_ && !url_.tls());
    parser_.body_limit(options_.limits.max_body_size);
    parser_.header_limit(options_.limits.max_header_size);
    lowest().expires_after(answer_limit());
    auto next = [self = shared_from_this()](error_code ec, std::size_t) { self->on_sent(ec); };
    if (tls_)
      http::async_write(*tls_, req_, next);
    else
      http::async_write(*tcp_, req_, next);
  }

  void on_sent(error_code ec) {
    if (detail::is_timeout(ec)) return timed_out("the request was not sent");
    if (ec) return fail(fetch_failure::unreachable, "sending the request: " + ec.message());
    // The header first, on its own, as http_exchange does, for the same reason:
    // a Content-Length over the limit must fail at once.
    auto next = [self = shared_from_this()](error_code e, std::size_t) { self->on_header(e); };
    if (tls_)
      http::async_read_header(*tls_, buffer_, parser_, next);
    else
      http::async_read_header(*tcp_, buffer_, parser_, next);
  }

  void on_header(error_code ec) {
    if (ec || parser_.is_done()) return on_body(ec);
    if (auto length = parser_.content_length(); length && *length > options_.limits.max_body_size)
      return on_body(http::error::body_limit);
    auto next = [self = shared_from_this()](error_code e, std::size_t) { self->on_body(e); };
    if (tls_)
      http::async_read(*tls_, buffer_, parser_, next);
    else
      http::async_read(*tcp_, buffer_, parser_, next);
  }

  void on_body(error_code ec) {
    // As http_exchange: a body delimited by a close without close_notify ends there.
    if (ec == net::ssl::error::stream_truncated && parser_.is_header_done() && !parser_.is_done())
      parser_.put_eof(ec);
    if (detail::is_timeout(ec)) return timed_out("the response was not complete");
    if (ec) return finish(detail::read_error(ec, parser_.is_header_done(), options_.limits));
    auto& res = parser_.get();
    long_poll_response out;
    if (auto applied = res.find(http::field::preference_applied); applied != res.end())
      out.applied_wait = parse_wait_preference(std::string(applied->value()));
    out.response = detail::to_http_response(res);
    out.response.url = url_.origin() + url_.target;
    out.elapsed = std::chrono::duration_cast<ms>(steady::now() - started_);
    close();
    if (auto done = std::exchange(done_, nullptr)) done(std::nullopt, std::move(out));
  }

  void timed_out(const std::string& what) {
    fail(fetch_failure::timeout, what + within(answer_limit(), "the wait plus the total timeout"));
  }

  void fail(fetch_failure failure, const std::string& details) {
    finish(fetch_error(failure, details));
  }

  void finish(const fetch_error& failure) {
    close();
    long_poll_response out;
    out.elapsed = std::chrono::duration_cast<ms>(steady::now() - started_);
    if (auto done = std::exchange(done_, nullptr)) done(failure, std::move(out));
  }

  beast::tcp_stream& lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *tcp_; }

  // The answer is in: no TLS goodbye to wait for (the request said Connection: close).
  void close() {
    error_code ignored;
    if (tls_)
      beast::get_lowest_layer(*tls_).socket().close(ignored);
    else if (tcp_)
      tcp_->socket().close(ignored);
  }

  net::io_context& ioc_;
  long_poll_request request_;
  http_options options_;
  long_poll_callback done_;
  steady::time_point started_;
  parsed_url url_;
  std::optional<parsed_url> proxy_;
  std::optional<net::ssl::context> ssl_ctx_;
  std::optional<beast::tcp_stream> tcp_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  std::shared_ptr<std::string> rejected_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> connect_req_;
  std::optional<http::response_parser<http::empty_body>> connect_parser_;
  http::request<http::string_body> req_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

void start_long_poll(net::io_context& ioc, const long_poll_request& request,
                     const http_options& options, long_poll_callback done) {
  std::make_shared<long_poll_op>(ioc, request, options, std::move(done))->start();
}

}  // namespace em
