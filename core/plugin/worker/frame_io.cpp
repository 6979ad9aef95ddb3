#include "core/plugin/worker/frame_io.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"

namespace em::worker {
namespace {

using clock = std::chrono::steady_clock;

// Reads exactly `n` bytes before `deadline`.
frame::status read_exact(int fd, char* out, std::size_t n, clock::time_point deadline,
                         bool forever) {
  while (n > 0) {
    int wait = -1;
    if (!forever) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) return frame::status::timeout;
      wait = static_cast<int>(left.count());
    }
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, wait);
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) return frame::status::timeout;
    if (rc < 0) return frame::status::closed;
    ssize_t got = ::read(fd, out, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return frame::status::closed;
    out += got;
    n -= static_cast<std::size_t>(got);
  }
  return frame::status::ok;
}

}  // namespace

void write_frame(int fd, const std::string& payload) {
  if (payload.size() > max_frame) throw error("plugin worker message too large");
  std::string data(4, '\0');
  auto size = static_cast<std::uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i)
    data[static_cast<std::size_t>(i)] = static_cast<char>(size >> (24 - 8 * i));
  data += payload;
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::send(fd, p, left, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw error(std::string("the plugin worker's channel is closed: ") + std::strerror(errno));
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

frame read_frame(int fd, std::chrono::milliseconds timeout) {
  const bool forever = timeout.count() < 0;
  const auto deadline = clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);
  unsigned char head[4];
  frame out;
  out.what = read_exact(fd, reinterpret_cast<char*>(head), 4, deadline, forever);
  if (out.what != frame::status::ok) return out;
  std::uint32_t size = (std::uint32_t{head[0]} << 24) | (std::uint32_t{head[1]} << 16) |
                       (std::uint32_t{head[2]} << 8) | std::uint32_t{head[3]};
  if (size > max_frame) {
    out.what = frame::status::invalid;
    return out;
  }
  out.payload.resize(size);
  out.what = read_exact(fd, out.payload.data(), size, deadline, forever);
  return out;
}

}  // namespace em::worker
