#include "tools/emsd/event_loop.hpp"

#include <sys/signalfd.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "core/util/error.hpp"

namespace emsd {

namespace net = boost::asio;

struct event_loop::impl {
  net::io_context ioc{1};
  net::posix::stream_descriptor signals{ioc};
  signalfd_siginfo info{};
  std::function<bool(int)> on_signal;

  void wait_for_signal() {
    signals.async_read_some(
        net::buffer(&info, sizeof info), [this](boost::system::error_code ec, std::size_t n) {
          if (ec == net::error::operation_aborted) return;
          if (!ec && n == sizeof info && !on_signal(static_cast<int>(info.ssi_signo)))
            return ioc.stop();
          wait_for_signal();
        });
  }
};

event_loop::event_loop() : impl_(std::make_unique<impl>()) {
  // The signals service::block_signals() blocked in every thread: they stay
  // pending until this descriptor reads them.
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1})
    sigaddset(&set, s);
  int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0)
    throw em::error(std::string("cannot wait for signals (signalfd): ") + std::strerror(errno));
  impl_->signals.assign(fd);
}

event_loop::~event_loop() = default;

net::io_context& event_loop::io() {
  return impl_->ioc;
}

void event_loop::run(const std::function<bool(int signal)>& on_signal) {
  impl_->on_signal = on_signal;
  impl_->wait_for_signal();
  impl_->ioc.run();
}

}  // namespace emsd
