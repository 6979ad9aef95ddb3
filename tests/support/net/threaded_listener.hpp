#pragma once

// Internal to tests/support/net: the accept loop the test servers share.
// Blocking I/O, a thread per connection; stopping shuts every socket down
// (shutdown(2) wakes threads blocked in accept, read or write) and joins them.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace em::test {

class threaded_listener {
 public:
  using socket_ptr = std::shared_ptr<boost::asio::ip::tcp::socket>;

  // Listens on 127.0.0.1 at a free port; `serve` runs on a thread of its own
  // for each connection.
  explicit threaded_listener(std::function<void(socket_ptr)> serve);
  ~threaded_listener();  // stop()
  threaded_listener(const threaded_listener&) = delete;
  threaded_listener& operator=(const threaded_listener&) = delete;

  void stop();
  const std::atomic<bool>& stopping_flag() const { return stopping_; }
  std::uint16_t port() const;
  int connections() const;

  // A socket the serving thread opens (an upstream connection), shut down on stop too.
  socket_ptr new_socket();

 private:
  void accept_loop();
  void track(const socket_ptr& s);

  std::function<void(socket_ptr)> serve_;
  boost::asio::io_context ioc_;  // never run: the sockets are used synchronously
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<socket_ptr> sockets_;
  std::vector<std::thread> workers_;
  int connections_ = 0;
  std::thread accept_thread_;
};

}  // namespace em::test
