#include "tests/support/nginx/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace em::test {
namespace {

class socket_fd {
 public:
  socket_fd() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  ~socket_fd() { ::close(fd_); }
  socket_fd(const socket_fd&) = delete;
  socket_fd& operator=(const socket_fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

std::uint16_t free_port() {
  socket_fd s;
  sockaddr_in a = loopback(0);
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
  socklen_t len = sizeof a;
  ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

raw_answer send_raw(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& host, std::chrono::milliseconds timeout) {
  socket_fd s;
  sockaddr_in a = loopback(port);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " +
                             std::strerror(errno));
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& [name, value] : headers)
    request += name + ": " + value + "\r\n";
  request += "Connection: close\r\n\r\n";
  for (std::size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(s.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early; what it answered still counts
    sent += static_cast<std::size_t>(n);
  }
  raw_answer out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw std::runtime_error("no end of answer from port " + std::to_string(port) + " to " +
                               target);
    pollfd p{s.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[8192];
    ssize_t n = ::recv(s.get(), buf, sizeof buf, 0);
    if (n <= 0) break;  // end, or a reset (as after nginx's 444 with unread input)
    out.text.append(buf, static_cast<std::size_t>(n));
  }
  out.answered = !out.text.empty();
  if (out.text.rfind("HTTP/1.", 0) == 0 && out.text.size() >= 12)
    out.status = std::atoi(out.text.substr(9, 3).c_str());
  if (auto body = out.text.find("\r\n\r\n"); body != std::string::npos)
    out.body = out.text.substr(body + 4);
  return out;
}

}  // namespace em::test
