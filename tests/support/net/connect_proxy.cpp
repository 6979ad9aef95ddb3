#include "tests/support/net/connect_proxy.hpp"

#include "tests/support/net/threaded_listener.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <mutex>

namespace em::test {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// Copies bytes both ways until one side closes or the proxy stops.
void relay(int a, int b, const std::atomic<bool>& stopping) {
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  char buf[16 * 1024];
  while (!stopping) {
    if (::poll(fds, 2, 200) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      for (ssize_t off = 0; off < n;) {
        ssize_t w = ::send(fds[1 - i].fd, buf + off, static_cast<size_t>(n - off), MSG_NOSIGNAL);
        if (w <= 0) return;
        off += w;
      }
    }
  }
}

}  // namespace

struct connect_proxy::impl {
  bool refuse = false;
  mutable std::mutex mutex;
  std::vector<std::string> tunnels;
  // Last, so it stops (and joins the threads that use the rest) first.
  std::unique_ptr<threaded_listener> listener;

  void reply(tcp::socket& client, http::status status) {
    http::response<http::empty_body> res{status, 11};
    // A 200 to CONNECT carries no Content-Length: the tunnel follows it.
    if (status != http::status::ok) {
      res.set(http::field::connection, "close");
      res.content_length(0);
    }
    boost::system::error_code ec;
    http::write(client, res, ec);
  }

  void serve(std::shared_ptr<tcp::socket> client) {
    boost::beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    boost::system::error_code ec;
    http::read_header(*client, buffer, parser, ec);
    if (ec) return;
    const auto& req = parser.get();
    if (req.method() != http::verb::connect)
      return reply(*client, http::status::method_not_allowed);
    const std::string target(req.target());
    {
      std::lock_guard<std::mutex> lock(mutex);
      tunnels.push_back(target);
    }
    if (refuse) return reply(*client, http::status::forbidden);
    auto colon = target.rfind(':');
    auto upstream = listener->new_socket();
    tcp::resolver resolver(upstream->get_executor());
    auto host = target.substr(0, colon);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    auto endpoints = resolver.resolve(host, target.substr(colon + 1), ec);
    if (!ec) net::connect(*upstream, endpoints, ec);
    if (ec) return reply(*client, http::status::bad_gateway);
    reply(*client, http::status::ok);
    relay(client->native_handle(), upstream->native_handle(), listener->stopping_flag());
  }
};

connect_proxy::connect_proxy(bool refuse) : impl_(std::make_unique<impl>()) {
  impl_->refuse = refuse;
  impl_->listener = std::make_unique<threaded_listener>(
      [this](threaded_listener::socket_ptr sock) { impl_->serve(std::move(sock)); });
}

connect_proxy::~connect_proxy() {
  impl_->listener->stop();
}

std::uint16_t connect_proxy::port() const {
  return impl_->listener->port();
}

std::string connect_proxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<std::string> connect_proxy::tunnels() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->tunnels;
}

std::uint16_t unused_port() {
  net::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

}  // namespace em::test
