#pragma once

#include <sys/types.h>
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

namespace em {

// Serves the control channel (control_channel.hpp) on a UNIX socket in a
// thread of its own. Only root, the user running the service, and members of
// `admin_group` may use it: the socket file is 0660 and group-owned by that
// group, and each caller's credentials (SO_PEERCRED) are checked again.
class control_server {
 public:
  // Answers one request line with the full response text.
  using handler = std::function<std::string(const std::string& request)>;

  // Binds now (replacing a stale socket file: the caller holds the instance
  // lock, so no live emsd owns it); throws em::error naming the path.
  control_server(std::filesystem::path socket, std::string admin_group, handler on_request);
  ~control_server();  // stops accepting, waits for the request in hand, removes the socket
  control_server(const control_server&) = delete;
  control_server& operator=(const control_server&) = delete;

  const std::filesystem::path& socket() const { return socket_; }

 private:
  void serve();
  void answer(int client);
  std::string authorize(int client) const;  // empty when allowed, else why not

  std::filesystem::path socket_;
  std::string admin_group_;
  gid_t admin_gid_ = static_cast<gid_t>(-1);
  handler on_request_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

// What emctl uses: sends `request` and returns the response text. Throws
// em::error with a one-line reason when the service cannot be reached.
std::string control_request(const std::filesystem::path& socket, const std::string& request);

}  // namespace em
