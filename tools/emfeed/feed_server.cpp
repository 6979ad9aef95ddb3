#include "tools/emfeed/feed_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

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

  void accept() {
    acceptor.async_accept([this](error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!ec) start_feed_session(std::move(socket), shared);
      accept();  // an error here (too many files…) is one client's, not the server's
    });
  }

  void shutdown(const std::string& why) {
    shared->log("Stopping: " + why);
    error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    ioc.stop();
  }
};

feed_server::feed_server(const feed_server_options& options, log_function log)
    : impl_(std::make_unique<impl>()) {
  auto shared = std::make_shared<feed_server_shared>(options, std::move(log));
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
  impl_->signals.async_wait([this](error_code ec, int sig) {
    if (!ec) impl_->shutdown(sig == SIGTERM ? "SIGTERM received" : "SIGINT received");
  });
  impl_->accept();
  impl_->ioc.run();
}

void feed_server::stop() {
  net::post(impl_->ioc, [this] { impl_->shutdown("stop requested"); });
}

}  // namespace emfeed
