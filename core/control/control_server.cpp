#include "core/control/control_server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/control/control_channel.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

constexpr std::size_t max_request = 256;

sockaddr_un address_of(const std::filesystem::path& socket) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = socket.string();
  if (path.size() >= sizeof addr.sun_path) throw error("control socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

std::string errno_text() {
  return std::strerror(errno);
}

bool in_group(uid_t uid, gid_t primary, gid_t wanted) {
  if (primary == wanted) return true;
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || !found) return false;
  int count = 64;
  std::vector<gid_t> groups(static_cast<size_t>(count));
  if (::getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<size_t>(count));
    if (::getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &count) < 0) return false;
  }
  for (int i = 0; i < count; ++i)
    if (groups[static_cast<size_t>(i)] == wanted) return true;
  return false;
}

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::send(fd, p, left, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client went away; nothing to tell it
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

control_server::control_server(std::filesystem::path socket, std::string admin_group,
                               handler on_request)
    : socket_(std::move(socket)),
      admin_group_(std::move(admin_group)),
      on_request_(std::move(on_request)) {
  if (!admin_group_.empty()) {
    if (group* g = ::getgrnam(admin_group_.c_str()))
      admin_gid_ = g->gr_gid;
    else
      throw error("control.admin_group: no group '" + admin_group_ + "' on this host");
  }
  std::error_code ec;
  if (socket_.has_parent_path()) std::filesystem::create_directories(socket_.parent_path(), ec);
  auto addr = address_of(socket_);
  ::unlink(socket_.c_str());
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw error("cannot create the control socket: " + errno_text());
  auto fail = [&](const std::string& what) {
    std::string why = what + " " + socket_.string() + ": " + errno_text();
    ::close(listen_fd_);
    throw error(why);
  };
  // Connecting needs write permission on the socket file; the process umask
  // never grants it to others, so nobody else gets in before the chmod.
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    fail("cannot bind the control socket");
  mode_t mode = 0600;
  if (admin_gid_ != static_cast<gid_t>(-1)) {
    if (::chown(socket_.c_str(), static_cast<uid_t>(-1), admin_gid_) != 0)
      fail("cannot give the control socket to group " + admin_group_ + ":");
    mode = 0660;
  }
  if (::chmod(socket_.c_str(), mode) != 0) fail("cannot set the mode of the control socket");
  if (::listen(listen_fd_, 8) != 0) fail("cannot listen on the control socket");
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) fail("cannot create the control wake-up pipe for");
  thread_ = std::thread([this] { serve(); });
}

control_server::~control_server() {
  if (wake_pipe_[1] >= 0) {
    char byte = 0;
    ssize_t n = ::write(wake_pipe_[1], &byte, 1);
    (void)n;
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : {listen_fd_, wake_pipe_[0], wake_pipe_[1]})
    if (fd >= 0) ::close(fd);
  ::unlink(socket_.c_str());
}

void control_server::serve() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    answer(client);
    ::close(client);
  }
}

std::string control_server::authorize(int client) const {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return "cannot tell who is asking";
  if (cred.uid == 0 || cred.uid == ::geteuid()) return {};
  if (admin_gid_ != static_cast<gid_t>(-1) && in_group(cred.uid, cred.gid, admin_gid_)) return {};
  return "only root" + (admin_group_.empty() ? std::string() : " and group " + admin_group_) +
         " may use the EM Service control channel (uid " + std::to_string(cred.uid) + ")";
}

void control_server::answer(int client) {
  // A client that connects and says nothing must not hold the channel.
  timeval timeout{5, 0};
  ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (auto why = authorize(client); !why.empty()) {
    write_all(client, std::string(control::denied) + " " + why + "\n");
    return;
  }
  std::string request;
  char c;
  while (request.size() < max_request) {
    ssize_t n = ::recv(client, &c, 1, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    request += c;
  }
  write_all(client, on_request_(request));
}

std::string control_request(const std::filesystem::path& socket, const std::string& request) {
  auto addr = address_of(socket);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw error("cannot create a socket: " + errno_text());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int saved = errno;
    ::close(fd);
    if (saved == ENOENT || saved == ECONNREFUSED)
      throw error("emsd is not running (no control socket at " + socket.string() + ")");
    if (saved == EACCES)
      throw error("permission denied on " + socket.string() +
                  ": only root and the configured admin group may run this");
    throw error("cannot connect to " + socket.string() + ": " + std::strerror(saved));
  }
  write_all(fd, request + "\n");
  std::string response;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (response.empty()) throw error("emsd closed the control channel without an answer");
  return response;
}

}  // namespace em
