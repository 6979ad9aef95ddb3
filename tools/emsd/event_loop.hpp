#pragma once

#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace emsd {

// emsd's main thread while the service runs (SPEC 12: idle means idle). One
// io_context waits for everything the main thread handles: the signals the
// process blocked (SIGTERM, SIGINT, SIGHUP, SIGUSR1, read from a signalfd)
// and the long-poll request, without a thread of its own for either and
// without waking up unless one of them has something.
class event_loop {
 public:
  // Throws em::error when the signalfd cannot be made.
  event_loop();
  ~event_loop();
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  boost::asio::io_context& io();

  // Runs until `on_signal` (called for each signal) returns false.
  void run(const std::function<bool(int signal)>& on_signal);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace emsd
