#include "core/plugin/worker/worker_process.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/util/error.hpp"
#include "core/util/process.hpp"

namespace em::worker {
namespace {

std::string signal_text(int sig) {
  const char* name = ::sigabbrev_np(sig);
  return std::string("signal ") + std::to_string(sig) +
         (name ? std::string(" (SIG") + name + ")" : "");
}

}  // namespace

worker_process::worker_process(std::filesystem::path executable)
    : executable_(std::move(executable)) {}

worker_process::~worker_process() {
  stop();
}

void worker_process::spawn() {
  kill();
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw error(std::string("cannot create the plugin worker's channel: ") + std::strerror(errno));
  try {
    pid_ = spawn_process(
        {{executable_.string(), "--fd", "3"}, {}, {STDERR_FILENO, STDERR_FILENO, pair[1]}});
  } catch (...) {
    ::close(pair[0]);
    ::close(pair[1]);
    pid_ = -1;
    throw;
  }
  ::close(pair[1]);
  fd_ = pair[0];
}

void worker_process::send(const std::string& payload) {
  if (fd_ < 0) throw error("the plugin worker is not running");
  write_frame(fd_, payload);
}

frame worker_process::receive(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return {};
  return read_frame(fd_, timeout);
}

void worker_process::close_channel() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

// Waits for the worker to end (at most `grace`, then kills it) and reaps it.
// Its group is killed while the ended worker is still a zombie, so the group
// ID cannot have been reused: whatever a plugin left running goes with it.
int worker_process::reap(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  siginfo_t info{};
  for (;;) {
    info.si_pid = 0;
    const bool last_try = std::chrono::steady_clock::now() >= deadline;
    if (last_try) ::kill(-pid_, SIGKILL);
    int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info,
                      WEXITED | WNOWAIT | (last_try ? 0 : WNOHANG));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || info.si_pid == pid_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return status;
}

std::string worker_process::ended() {
  close_channel();
  if (pid_ <= 0) return "stopped";
  // It closed the channel, so it is ending or has ended: give it a moment.
  int status = reap(std::chrono::seconds(2));
  if (WIFSIGNALED(status)) return "crashed with " + signal_text(WTERMSIG(status));
  return "exited with code " + std::to_string(WEXITSTATUS(status));
}

void worker_process::kill() {
  close_channel();
  if (pid_ > 0) reap(std::chrono::milliseconds(0));
}

void worker_process::stop() {
  close_channel();  // the worker sees end of file and exits
  if (pid_ > 0) reap(std::chrono::seconds(2));
}

}  // namespace em::worker
