#include "tools/emfeed/feed_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>

#include "core/util/error.hpp"
#include "tools/emfeed/feed_server_session.hpp"

namespace emfeed {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

void load_tls(net::ssl::context& ctx, const feed_server_options& o) {
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  // OpenSSL's record buffers (about 34 KB) go back while a connection is
  // quiet: what thousands of held long-poll requests are.
  // Partial writes and a moving write buffer: how feed_stream drives OpenSSL.
  SSL_CTX_set_mode(ctx.native_handle(), SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  error_code ec;
  ctx.use_certificate_chain_file(o.cert.string(), ec);
  if (ec) throw em::invalid_input("cannot use --cert " + o.cert.string() + ": " + ec.message());
  ctx.use_private_key_file(o.key.string(), net::ssl::context::pem, ec);
  if (ec) throw em::invalid_input("cannot use --key " + o.key.string() + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    throw em::invalid_input("--key " + o.key.string() + " does not match --cert " +
                            o.cert.string());
}

}  // namespace

struct feed_server::impl {
  // Declared first so it is destroyed last, after the acceptor and signal
  // set that use it; sessions still queued in it own what they use.
  net::io_context ioc{1};
  std::shared_ptr<feed_server_shared> shared;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGTERM, SIGINT};
  net::steady_timer accept_pause{ioc};
  bool accepting = false;
  feed_server::flush_function flush;
  bool flush_posted = false;

  // Lines are flushed once the events in hand are handled, not one by one.
  void logged() {
    if (!flush || flush_posted) return;
    flush_posted = true;
    net::post(ioc, [this] {
      flush_posted = false;
      flush();
    });
  }

  ~impl() {
    if (shared) shared->connection_closed = nullptr;  // sessions may outlive this
  }

  void accept() {
    if (accepting || !acceptor.is_open()) return;
    // At the limit, accept nothing until a connection closes (connection_closed).
    if (shared->connections >= shared->options.max_connections) return;
    accepting = true;
    acceptor.async_accept(ioc.get_executor(), [this](error_code ec, feed_socket socket) {
      accepting = false;
      if (!acceptor.is_open()) return;
      if (!ec) {
        start_feed_session(std::move(socket), shared);
        return accept();
      }
      // Out of descriptors or memory: one client's problem, not the server's,
      // but trying again at once would spin. A moment later, then.
      accept_pause.expires_after(std::chrono::milliseconds(100));
      accept_pause.async_wait([this](error_code e) {
        if (!e) accept();
      });
    });
  }

  void shutdown(const std::string& why) {
    shared->log("Stopping: " + why);
    error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    accept_pause.cancel();
    if (shared->watch) shared->watch->stop();
    ioc.stop();
  }
};

feed_server::feed_server(const feed_server_options& options, log_function log, flush_function flush)
    : impl_(std::make_unique<impl>()) {
  impl_->flush = std::move(flush);
  auto shared = std::make_shared<feed_server_shared>(
      options, [log = std::move(log), i = impl_.get()](const std::string& line) {
        log(line);
        i->logged();
      });
  if (options.diagnostics_dir)
    shared->inbox =
        std::make_unique<feed_server_inbox>(*options.diagnostics_dir, options.max_report_size);
  if (!options.insecure_http) {
    shared->tls.emplace(net::ssl::context::tls_server);
    load_tls(*shared->tls, options);
  }
  // Refuse to start on a document that cannot be served at all.
  auto doc = shared->document.current();
  if (!doc.bytes) throw em::error("cannot serve --document: " + doc.error);
  impl_->shared = shared;
  shared->announced_etag = doc.etag;
  shared->connection_closed = [this] { impl_->accept(); };
  shared->watch = std::make_unique<document_watch>(
      impl_->ioc, options.document, [s = shared.get()] { s->document_event(); },
      [s = shared.get()] { return s->waiters.size() > 0; });
  if (!shared->watch->problem().empty())
    shared->log("Document changes are looked for once a second while requests wait (" +
                shared->watch->problem() + ")");

  error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) throw em::invalid_input("--listen: bad address '" + options.host + "'");
  tcp::endpoint at(address, options.port);
  auto& a = impl_->acceptor;
  a.open(at.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(at, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw em::error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                    ec.message());
}

feed_server::~feed_server() = default;

std::uint16_t feed_server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void feed_server::run() {
  // OpenSSL writes to the socket itself (feed_stream), without MSG_NOSIGNAL: a
  // client that resets its connection must not end the server with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  impl_->signals.async_wait([this](error_code ec, int sig) {
    if (!ec) impl_->shutdown(sig == SIGTERM ? "SIGTERM received" : "SIGINT received");
  });
  impl_->accept();
  impl_->ioc.run();
  if (impl_->flush) impl_->flush();
}

void feed_server::stop() {
  net::post(impl_->ioc, [this] { impl_->shutdown("stop requested"); });
}

}  // namespace emfeed
