#pragma once

// Internal to `emfeed serve`: one client connection's byte stream, TLS or
// plain, as Beast's HTTP reader and writer use it (AsyncReadStream,
// AsyncWriteStream). Included only by feed_server_session.cpp.
//
// TLS runs OpenSSL straight on the non-blocking socket (SSL_set_fd) rather
// than through Asio's ssl::stream, whose engine keeps four 17 KB buffers per
// connection for as long as it lives (its own two and a BIO pair's): about
// 70 KB for each of thousands of held long-poll requests (SPEC 12). Here an
// idle connection keeps OpenSSL's connection state only; its record buffers go
// back while it is quiet (SSL_MODE_RELEASE_BUFFERS).

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>

#include <array>
#include <cerrno>
#include <cstddef>

namespace emfeed {

class feed_stream {
 public:
  using socket_type = boost::asio::basic_stream_socket<boost::asio::ip::tcp,
                                                       boost::asio::io_context::executor_type>;
  using executor_type = socket_type::executor_type;
  using error_code = boost::system::error_code;

  // `tls` null: plain HTTP (--insecure-http).
  feed_stream(socket_type socket, SSL_CTX* tls) : socket_(std::move(socket)) {
    if (!tls) return;
    error_code ignored;
    socket_.non_blocking(true, ignored);
    ssl_ = SSL_new(tls);
    if (ssl_) SSL_set_fd(ssl_, socket_.native_handle());
  }
  ~feed_stream() {
    if (ssl_) SSL_free(ssl_);
  }
  feed_stream(const feed_stream&) = delete;
  feed_stream& operator=(const feed_stream&) = delete;

  executor_type get_executor() { return socket_.get_executor(); }
  socket_type& socket() { return socket_; }
  bool tls() const { return ssl_ != nullptr; }

  // The TLS handshake (server side); completes at once for plain HTTP.
  template <class Token>
  auto async_handshake(Token&& token) {
    return boost::asio::async_compose<Token, void(error_code, std::size_t)>(
        make_op([](SSL* ssl, std::size_t&) { return SSL_accept(ssl); }), token, socket_);
  }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    if (!ssl_) return socket_.async_read_some(buffers, std::forward<Token>(token));
    auto first = first_buffer(buffers);
    auto op = make_op([first](SSL* ssl, std::size_t& n) {
      if (first.size() == 0) return 1;  // nothing asked: nothing to wait for
      return SSL_read_ex(ssl, first.data(), first.size(), &n);
    });
    // Nothing decrypted or received is waiting in OpenSSL (the usual case
    // between two requests): wait for the socket first rather than try a
    // read the kernel would answer EAGAIN.
    op.wait_first = first.size() > 0 && !SSL_has_pending(ssl_);
    return boost::asio::async_compose<Token, void(error_code, std::size_t)>(std::move(op), token,
                                                                            socket_);
  }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    if (!ssl_) return socket_.async_write_some(buffers, std::forward<Token>(token));
    // One TLS record for a header and a small body, not one each: gathered
    // into a scratch buffer before each try (the same bytes on a retry, which
    // SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER allows from another address).
    return boost::asio::async_compose<Token, void(error_code, std::size_t)>(
        make_op([buffers](SSL* ssl, std::size_t& n) {
          auto& scratch = write_scratch();
          auto size = boost::asio::buffer_copy(boost::asio::buffer(scratch), buffers);
          if (size == 0) return 1;
          return SSL_write_ex(ssl, scratch.data(), size, &n);
        }),
        token, socket_);
  }

  // Sends TLS's close_notify when the socket takes it at once (a client that
  // is gone or slow is not waited for), then closes.
  void close() {
    if (ssl_ && socket_.is_open()) {
      ERR_clear_error();
      SSL_shutdown(ssl_);
      ERR_clear_error();
    }
    error_code ignored;
    socket_.shutdown(socket_type::shutdown_send, ignored);
    socket_.close(ignored);
  }

 private:
  // One OpenSSL call, retried when the socket is ready for what it wants;
  // never completes inside the call that started it.
  template <class Io>
  struct ssl_op {
    feed_stream* stream;
    Io io;
    enum { starting, waiting, finished } state = starting;
    error_code result{};
    std::size_t done = 0;

    bool wait_first = false;

    template <class Self>
    void operator()(Self& self, error_code ec = {}) {
      if (state == finished) return self.complete(result, done);
      if (ec) return self.complete(ec, 0);
      if (state == starting && wait_first) {
        state = waiting;
        return stream->socket_.async_wait(socket_type::wait_read, std::move(self));
      }
      if (!stream->ssl_) {
        result = {};
      } else {
        ERR_clear_error();
        int r = io(stream->ssl_, done);
        if (r <= 0) {
          int e = SSL_get_error(stream->ssl_, r);
          if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            state = waiting;
            return stream->socket_.async_wait(
                e == SSL_ERROR_WANT_READ ? socket_type::wait_read : socket_type::wait_write,
                std::move(self));
          }
          result = error_of(e);
          done = 0;
        }
      }
      if (state == starting) {
        state = finished;
        return boost::asio::post(stream->socket_.get_executor(), std::move(self));
      }
      self.complete(result, done);
    }
  };
  template <class Io>
  ssl_op<Io> make_op(Io io) {
    return ssl_op<Io>{this, std::move(io)};
  }

  static error_code error_of(int ssl_error) {
    namespace net = boost::asio;
    if (ssl_error == SSL_ERROR_ZERO_RETURN) return net::error::eof;
    if (ssl_error == SSL_ERROR_SYSCALL) {
      if (errno != 0) return {errno, boost::system::system_category()};
      return net::ssl::error::stream_truncated;  // the peer closed without close_notify
    }
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
      return net::ssl::error::stream_truncated;
    if (e == 0) return net::error::connection_reset;
    return {static_cast<int>(e), net::error::get_ssl_category()};
  }

  template <class Buffers>
  static boost::asio::mutable_buffer first_buffer(const Buffers& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it)
      if (boost::asio::mutable_buffer b(*it); b.size() > 0) return b;
    return {};
  }

  // The server has one I/O thread, and each write copies into this just
  // before OpenSSL encrypts it: one buffer serves every connection.
  static std::array<char, 16 * 1024>& write_scratch() {
    static std::array<char, 16 * 1024> scratch;
    return scratch;
  }

  socket_type socket_;
  SSL* ssl_ = nullptr;
};

}  // namespace emfeed
