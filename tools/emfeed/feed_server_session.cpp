#include "tools/emfeed/feed_server_session.hpp"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <optional>
#include <string>
#include <type_traits>

#include "core/util/error.hpp"
#include "core/util/time_util.hpp"

namespace emfeed {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using response = http::response<http::string_body>;

const std::string document_path = "/getexchangemitigations";
const std::string diagnostics_path = "/diagnostics";

response make_response(http::status status, unsigned version, std::string body = {},
                       const char* type = "text/plain; charset=utf-8") {
  response res{status, version};
  res.set(http::field::server, "emfeed");
  if (status != http::status::not_modified && status != http::status::no_content)
    res.set(http::field::content_type, type);
  res.body() = std::move(body);
  return res;
}

std::string path_of(beast::string_view target) {
  auto t = std::string(target);
  return t.substr(0, t.find('?'));
}

response serve_document(const http::request<http::string_body>& req, feed_server_shared& s,
                        std::string& note) {
  auto doc = s.document.current();
  if (!doc.bytes) {
    note = "document unavailable: " + doc.error;
    return make_response(http::status::service_unavailable, req.version(),
                         "The mitigation document is not available\n");
  }
  response res;
  if (feed_server_document::matches(std::string(req[http::field::if_none_match]), doc.etag)) {
    note = "not modified";
    res = make_response(http::status::not_modified, req.version());
  } else {
    res = make_response(http::status::ok, req.version(), *doc.bytes,
                        "application/xml; charset=utf-8");
  }
  res.set(http::field::etag, doc.etag);
  // Clients must ask each time (with If-None-Match) rather than trust a cache.
  res.set(http::field::cache_control, "no-cache");
  return res;
}

response save_report(const http::request<http::string_body>& req, feed_server_shared& s,
                     std::string& note) {
  if (!s.inbox) {
    note = "no --diagnostics-dir";
    return make_response(http::status::not_found, req.version(),
                         "Diagnostics are not collected here\n");
  }
  try {
    note = "saved " + s.inbox->save(req.body()).filename().string();
    return make_response(http::status::no_content, req.version());
  } catch (const em::invalid_input& e) {
    note = e.what();
    return make_response(http::status::bad_request, req.version(), std::string(e.what()) + "\n");
  } catch (const em::error& e) {
    note = e.what();
    return make_response(http::status::internal_server_error, req.version(),
                         "Cannot store the report\n");
  }
}

response route(const http::request<http::string_body>& req, feed_server_shared& s,
               std::string& note) {
  const auto path = path_of(req.target());
  const auto verb = req.method();
  if (path == document_path) {
    if (verb == http::verb::get || verb == http::verb::head) {
      auto res = serve_document(req, s, note);
      if (verb == http::verb::head) {
        res.content_length(res.body().size());
        res.body().clear();
        return res;
      }
      return res;
    }
    auto res = make_response(http::status::method_not_allowed, req.version(), "Use GET\n");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  if (path == diagnostics_path) {
    if (verb == http::verb::post) return save_report(req, s, note);
    auto res = make_response(http::status::method_not_allowed, req.version(), "Use POST\n");
    res.set(http::field::allow, "POST");
    return res;
  }
  return make_response(http::status::not_found, req.version(), "Not found\n");
}

template <class Stream>
class session : public std::enable_shared_from_this<session<Stream>> {
 public:
  static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  session(std::shared_ptr<feed_server_shared> shared, std::string peer, Args&&... args)
      : stream_(std::forward<Args>(args)...), shared_(std::move(shared)), peer_(std::move(peer)) {}

  void start() {
    if constexpr (tls) {
      lowest().expires_after(shared_->options.handshake_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (ec)
                                  return self->log_drop("TLS handshake failed: " + ec.message());
                                self->read();
                              });
    } else {
      read();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->header_limit(shared_->options.max_header_size);
    parser_->body_limit(shared_->options.max_report_size);
    lowest().expires_after(shared_->options.idle_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::ssl::error::stream_truncated)
      return close();
    if (ec == http::error::body_limit)
      return reject(http::status::payload_too_large, "request body over the limit");
    if (ec == http::error::header_limit)
      return reject(http::status::request_header_fields_too_large, "request header over the limit");
    if (ec) return reject(http::status::bad_request, "bad request: " + ec.message());
    auto req = parser_->release();
    std::string note;
    res_ = route(req, *shared_, note);
    res_.keep_alive(req.keep_alive());
    const auto status = res_.result();
    // HEAD keeps the length route() set; 204 and 304 carry no body and no length.
    if (req.method() != http::verb::head && status != http::status::no_content &&
        status != http::status::not_modified)
      res_.prepare_payload();
    log_request(std::string(req.method_string()) + " " + std::string(req.target()), note);
    write();
  }

  // Answers a request that could not be read whole, then closes.
  void reject(http::status status, const std::string& why) {
    res_ = make_response(status, 11, why + "\n");
    res_.keep_alive(false);
    res_.prepare_payload();
    log_request("(unreadable request)", why);
    draining_ = true;
    write();
  }

  void write() {
    lowest().expires_after(shared_->options.idle_timeout);
    http::async_write(stream_, res_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (!ec && self->draining_) return self->drain(0);
      if (ec || !self->res_.keep_alive()) return self->close();
      self->read();
    });
  }

  // A client still sending the body we refused would get a reset, and lose
  // our answer with it, if we closed now: read and drop what it sends, within
  // bounds, first.
  void drain(std::size_t drained) {
    if (drained > max_drain) return close();
    lowest().expires_after(std::chrono::seconds(2));
    stream_.async_read_some(net::buffer(scratch_), [self = this->shared_from_this(), drained](
                                                       error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->drain(drained + n);
    });
  }

  void close() {
    if constexpr (tls) {
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](error_code) {
        error_code ignored;
        self->lowest().socket().close(ignored);
      });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      lowest().socket().close(ignored);
    }
  }

  void log_request(const std::string& what, const std::string& note) {
    shared_->log(em::format_rfc3339_ms(std::chrono::system_clock::now()) + " " + peer_ + " " +
                 what + " " + std::to_string(res_.result_int()) + " " +
                 std::to_string(res_.body().size()) + (note.empty() ? "" : " (" + note + ")"));
  }

  void log_drop(const std::string& why) {
    shared_->log(em::format_rfc3339_ms(std::chrono::system_clock::now()) + " " + peer_ + " " + why);
  }

  static constexpr std::size_t max_drain = 1024 * 1024;

  Stream stream_;
  beast::flat_buffer buffer_;
  bool draining_ = false;
  std::array<char, 16 * 1024> scratch_{};
  std::optional<http::request_parser<http::string_body>> parser_;
  response res_;
  std::shared_ptr<feed_server_shared> shared_;
  std::string peer_;
};

}  // namespace

void start_feed_session(tcp::socket socket, std::shared_ptr<feed_server_shared> shared) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  std::string peer =
      ec ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
  if (shared->tls) {
    auto& ctx = *shared->tls;
    std::make_shared<session<beast::ssl_stream<beast::tcp_stream>>>(std::move(shared), peer,
                                                                    std::move(socket), ctx)
        ->start();
  } else {
    std::make_shared<session<beast::tcp_stream>>(std::move(shared), peer, std::move(socket))
        ->start();
  }
}

}  // namespace emfeed
