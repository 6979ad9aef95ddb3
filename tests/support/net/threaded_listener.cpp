#include "tests/support/net/threaded_listener.hpp"

#include <sys/socket.h>

namespace em::test {

namespace net = boost::asio;
using tcp = net::ip::tcp;

threaded_listener::threaded_listener(std::function<void(socket_ptr)> serve)
    : serve_(std::move(serve)) {
  tcp::endpoint at(net::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(at.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

threaded_listener::~threaded_listener() {
  stop();
}

void threaded_listener::stop() {
  if (stopping_.exchange(true)) return;
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
  accept_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& s : sockets_)
      ::shutdown(s->native_handle(), SHUT_RDWR);
  }
  for (auto& w : workers_)
    w.join();
}

std::uint16_t threaded_listener::port() const {
  return acceptor_.local_endpoint().port();
}

int threaded_listener::connections() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_;
}

threaded_listener::socket_ptr threaded_listener::new_socket() {
  auto s = std::make_shared<tcp::socket>(ioc_);
  track(s);
  return s;
}

void threaded_listener::track(const socket_ptr& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  sockets_.push_back(s);
}

void threaded_listener::accept_loop() {
  for (;;) {
    auto sock = std::make_shared<tcp::socket>(ioc_);
    boost::system::error_code ec;
    acceptor_.accept(*sock, ec);
    if (stopping_) return;
    if (ec) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    ++connections_;
    sockets_.push_back(sock);
    workers_.emplace_back([this, sock] { serve_(sock); });
  }
}

}  // namespace em::test
