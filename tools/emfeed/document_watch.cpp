#include "tools/emfeed/document_watch.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cerrno>
#include <cstring>

namespace emfeed {
namespace {

namespace net = boost::asio;
using error_code = boost::system::error_code;

constexpr std::uint32_t watched_events =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB;

}  // namespace

struct document_watch::impl : std::enable_shared_from_this<impl> {
  impl(net::io_context& ioc, std::filesystem::path f, std::function<void()> c,
       std::function<bool()> n)
      : file(std::move(f)), changed(std::move(c)), needed(std::move(n)), events(ioc), timer(ioc) {}

  std::filesystem::path file;
  std::function<void()> changed;
  std::function<bool()> needed;
  net::posix::stream_descriptor events;
  net::steady_timer timer;
  std::string problem;
  bool polling = false;
  bool stopped = false;
  std::array<char, 4096> buffer{};

  void open() {
    int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      problem = std::string("inotify: ") + std::strerror(errno);
      return;
    }
    auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    if (::inotify_add_watch(fd, dir.c_str(), watched_events) < 0) {
      problem = "inotify on " + dir.string() + ": " + std::strerror(errno);
      ::close(fd);
      return;
    }
    events.assign(fd);
    read();
  }

  void read() {
    events.async_read_some(net::buffer(buffer),
                           [self = shared_from_this()](error_code ec, std::size_t n) {
                             if (ec || self->stopped) return;
                             if (self->concerns_file(n)) self->changed();
                             self->read();
                           });
  }

  // Only events about the document's own name count. A new regular file is
  // still being written when IN_CREATE arrives: its IN_CLOSE_WRITE follows.
  bool concerns_file(std::size_t n) const {
    const auto name = file.filename().string();
    bool hit = false;
    for (std::size_t at = 0; at + sizeof(inotify_event) <= n;) {
      auto* e = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      if (e->len > 0 && name == e->name) {
        if (e->mask & IN_CREATE) {
          struct stat st {};
          hit = hit || (::lstat(file.c_str(), &st) == 0 && S_ISLNK(st.st_mode));
        } else {
          hit = true;
        }
      }
      if (e->mask & IN_Q_OVERFLOW) hit = true;  // events were lost: look again
      at += sizeof(inotify_event) + e->len;
    }
    return hit;
  }

  void poll() {
    if (polling || stopped) return;
    polling = true;
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([self = shared_from_this()](error_code ec) {
      self->polling = false;
      if (ec || self->stopped) return;
      self->changed();
      if (self->needed()) self->poll();
    });
  }
};

document_watch::document_watch(net::io_context& ioc, const std::filesystem::path& file,
                               std::function<void()> changed, std::function<bool()> needed)
    : impl_(std::make_shared<impl>(ioc, std::filesystem::absolute(file), std::move(changed),
                                   std::move(needed))) {
  impl_->open();
}

document_watch::~document_watch() {
  stop();
}

const std::string& document_watch::problem() const {
  return impl_->problem;
}

void document_watch::poke() {
  if (!impl_->problem.empty()) impl_->poll();
}

void document_watch::stop() {
  impl_->stopped = true;
  error_code ignored;
  impl_->events.close(ignored);
  impl_->timer.cancel();
}

}  // namespace emfeed
