#include "tools/emfeed/feed_server_session.hpp"

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>

#include "core/util/time_util.hpp"
#include "tools/emfeed/feed_server_routes.hpp"
#include "tools/emfeed/feed_stream.hpp"

namespace emfeed {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using steady = std::chrono::steady_clock;
using timer =
    net::basic_waitable_timer<steady, net::wait_traits<steady>, net::io_context::executor_type>;

// The log line's time, "2026-11-30T08:26:25.855Z": the part to the second is
// formatted once a second, not once a request.
std::string log_time() {
  static std::time_t second = -1;
  static std::string prefix;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  if (secs.count() != second) {
    second = static_cast<std::time_t>(secs.count());
    auto full = em::format_rfc3339_ms(std::chrono::system_clock::time_point(secs));
    prefix = full.substr(0, full.size() - 4);  // without "000Z"
  }
  char tail[8];
  std::snprintf(tail, sizeof tail, "%03dZ", static_cast<int>(ms));
  return prefix + tail;
}

std::string seconds_text(steady::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s",
                std::chrono::duration_cast<std::chrono::duration<double>>(d).count());
  return text;
}

// One connection, from the TLS handshake to its close. Every step is
// asynchronous on the server's one thread and bounded by io_timer_ (the
// handshake, idle keep-alive and write timeouts) or, while a long-poll is
// held, by wait_timer_.
class session : public std::enable_shared_from_this<session> {
 public:
  session(std::shared_ptr<feed_server_shared> shared, std::string peer, feed_socket socket,
          SSL_CTX* tls)
      : stream_(std::move(socket), tls),
        io_timer_(stream_.get_executor()),
        wait_timer_(stream_.get_executor()),
        shared_(std::move(shared)),
        peer_(std::move(peer)) {
    ++shared_->connections;
  }

  ~session() {
    --shared_->connections;
    if (handshaking_) --shared_->handshakes;  // the server is going: no turns to give
    if (shared_->connection_closed) shared_->connection_closed();
  }

  // TLS: the handshake waits for the client's first bytes, then for its turn
  // (--max-handshakes), all within the handshake timeout.
  void start() {
    if (!stream_.tls()) return read();
    arm(shared_->options.handshake_timeout);
    stream_.socket().async_wait(feed_socket::wait_read, [self = shared_from_this()](error_code ec) {
      if (ec || !self->stream_.socket().is_open()) return self->handshake_failed(ec);
      if (self->shared_->handshakes < self->shared_->options.max_handshakes)
        return self->handshake();
      self->shared_->handshake_turns.emplace_back([self] { self->handshake(); });
    });
  }

 private:
  void handshake() {
    // Timed out while waiting its turn: the socket is closed, and its
    // descriptor may already be another client's.
    if (!stream_.socket().is_open()) return handshake_failed(net::error::operation_aborted);
    handshaking_ = true;
    ++shared_->handshakes;
    stream_.async_handshake([self = shared_from_this()](error_code ec, std::size_t) {
      self->io_timer_.cancel();
      self->end_handshake();
      if (ec) return self->handshake_failed(ec);
      self->read();
    });
  }

  // The next client waiting gets the turn this one leaves.
  void end_handshake() {
    handshaking_ = false;
    --shared_->handshakes;
    auto& turns = shared_->handshake_turns;
    while (!turns.empty() && shared_->handshakes < shared_->options.max_handshakes) {
      auto next = std::move(turns.front());
      turns.pop_front();
      next();
    }
  }

  void handshake_failed(error_code ec) {
    log_drop("TLS handshake failed: " + reason(ec, timed_out_));
  }

 private:
  static std::string reason(error_code ec, bool timed_out) {
    return timed_out ? "timeout" : ec.message();
  }

  // The step now under way ends by `limit`: at the deadline the socket is
  // closed, which completes it with an error.
  void arm(std::chrono::seconds limit) {
    timed_out_ = false;
    io_timer_.expires_after(limit);
    io_timer_.async_wait([weak = weak_from_this()](error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->timed_out_ = true;
      error_code ignored;
      self->stream_.socket().close(ignored);
    });
  }

  void read() {
    parser_.emplace();
    parser_->header_limit(shared_->options.max_header_size);
    parser_->body_limit(shared_->options.max_report_size);
    arm(shared_->options.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       self->io_timer_.cancel();
                       self->on_read(ec);
                     });
  }

  void on_read(error_code ec) {
    if (timed_out_ || ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::ssl::error::stream_truncated || ec == net::error::connection_reset ||
        !stream_.socket().is_open())
      return close();
    if (ec == http::error::body_limit)
      return reject(http::status::payload_too_large, "request body over the limit");
    if (ec == http::error::header_limit)
      return reject(http::status::request_header_fields_too_large, "request header over the limit");
    if (ec) return reject(http::status::bad_request, "bad request: " + ec.message());
    req_ = parser_->release();
    parser_.reset();  // a held request keeps only what it needs
    buffer_.shrink_to_fit();
    if (auto wait = long_poll_wait(req_, *shared_)) return hold(*wait);
    respond();
  }

  // SPEC 12: the answer waits for a change of the document or the end of the
  // wait, whichever comes first; no thread waits, a timer and a callback do.
  void hold(std::chrono::seconds wait) {
    holding_ = true;
    held_since_ = steady::now();
    waiter_ = shared_->waiters.add([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->end_hold();
    });
    wait_timer_.expires_after(wait);
    wait_timer_.async_wait([self = shared_from_this()](error_code) { self->end_hold(); });
    if (shared_->watch) shared_->watch->poke();
    watch_client();
  }

  // A held client that goes away is let go at once, not at the end of its
  // wait: its descriptor and memory go back to the server. Whatever it sends
  // meanwhile (a pipelined request) is kept for after the answer.
  void watch_client() {
    watching_ = true;
    stream_.async_read_some(buffer_.prepare(512),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              self->on_client_activity(ec, n);
                            });
  }

  void on_client_activity(error_code ec, std::size_t n) {
    watching_ = false;
    if (!ec) {
      buffer_.commit(n);
      if (holding_ && buffer_.size() < shared_->options.max_header_size) return watch_client();
      if (!holding_ && answer_waiting_) return respond_after_wait();
      return;  // enough read ahead: the rest waits for the answer
    }
    if (ec == net::error::operation_aborted && answer_waiting_) return respond_after_wait();
    if (!holding_) return;
    holding_ = false;  // gone (end of stream, reset, TLS close_notify)
    shared_->waiters.remove(waiter_);
    wait_timer_.cancel();
    log_drop("left after a wait of " + seconds_text(steady::now() - held_since_));
    close();
  }

  void end_hold() {
    if (!holding_) return;
    holding_ = false;
    shared_->waiters.remove(waiter_);
    wait_timer_.cancel();
    answer_waiting_ = true;
    if (!watching_) return respond_after_wait();
    // The read watching the client ends first: one read at a time on a stream.
    error_code ignored;
    stream_.socket().cancel(ignored);
  }

  void respond_after_wait() {
    answer_waiting_ = false;
    respond(" after a wait of " + seconds_text(steady::now() - held_since_));
  }

  void respond(const std::string& waited = {}) {
    std::string note;
    res_ = route(req_, *shared_, note);
    res_.keep_alive(req_.keep_alive());
    const auto status = res_.result();
    // HEAD keeps the length route() set; 204 and 304 carry no body and no length.
    if (req_.method() != http::verb::head && status != http::status::no_content &&
        status != http::status::not_modified)
      res_.prepare_payload();
    if (!waited.empty()) note = (note.empty() ? "new document" : note) + waited;
    log_request(std::string(req_.method_string()) + " " + std::string(req_.target()), note);
    req_ = {};
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
    arm(shared_->options.idle_timeout);
    http::async_write(stream_, res_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->io_timer_.cancel();
      if (!ec && self->draining_) return self->drain(0);
      const bool again = !ec && self->res_.keep_alive();
      self->res_ = {};  // the document's copy goes with it
      if (!again) return self->close();
      self->read();
    });
  }

  // A client still sending the body we refused would get a reset, and lose
  // our answer with it, if we closed now: read and drop what it sends, within
  // bounds, first.
  void drain(std::size_t drained) {
    if (drained > max_drain) return close();
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 16 * 1024>>();
    arm(std::chrono::seconds(2));
    stream_.async_read_some(net::buffer(*scratch_),
                            [self = shared_from_this(), drained](error_code ec, std::size_t n) {
                              self->io_timer_.cancel();
                              if (ec) return self->close();
                              self->drain(drained + n);
                            });
  }

  void close() { stream_.close(); }

  void log_request(const std::string& what, const std::string& note) {
    std::string line = log_time();
    line.reserve(line.size() + peer_.size() + what.size() + note.size() + 32);
    line.append(" ").append(peer_).append(" ").append(what).append(" ");
    line.append(std::to_string(res_.result_int())).append(" ");
    line.append(std::to_string(res_.body().size()));
    if (!note.empty()) line.append(" (").append(note).append(")");
    shared_->log(line);
  }

  void log_drop(const std::string& why) { shared_->log(log_time() + " " + peer_ + " " + why); }

  static constexpr std::size_t max_drain = 1024 * 1024;

  feed_stream stream_;
  timer io_timer_;
  timer wait_timer_;
  beast::flat_buffer buffer_;
  bool timed_out_ = false;
  bool handshaking_ = false;
  bool draining_ = false;
  bool holding_ = false;
  bool watching_ = false;        // a read watches a held client
  bool answer_waiting_ = false;  // the wait ended; the answer goes once that read is done
  std::uint64_t waiter_ = 0;
  steady::time_point held_since_{};
  std::unique_ptr<std::array<char, 16 * 1024>> scratch_;  // only to drain a refused body
  std::optional<http::request_parser<http::string_body>> parser_;
  feed_request req_;
  feed_response res_;
  std::shared_ptr<feed_server_shared> shared_;
  std::string peer_;
};

}  // namespace

void feed_server_shared::document_event() {
  auto doc = document.current();
  if (!doc.bytes || doc.etag == announced_etag) return;
  announced_etag = doc.etag;
  log(log_time() + " document changed (ETag " + doc.etag + "): answering " +
      std::to_string(waiters.size()) + " waiting request(s)");
  waiters.wake_all();
}

void start_feed_session(feed_socket socket, std::shared_ptr<feed_server_shared> shared) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  std::string peer =
      ec ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
  SSL_CTX* tls = shared->tls ? shared->tls->native_handle() : nullptr;
  std::make_shared<session>(std::move(shared), peer, std::move(socket), tls)->start();
}

}  // namespace emfeed
