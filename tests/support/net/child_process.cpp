#include "tests/support/net/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace em::test {

struct child_process::impl {
  pid_t pid = -1;
  int out_fd = -1, err_fd = -1;
  std::thread reader;
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::string out, err;
  bool eof = false;
  std::optional<int> exit_code;

  void read_all() {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    std::string* sinks[2] = {&out, &err};
    int open = 2;
    while (open > 0) {
      if (::poll(fds, 2, -1) < 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[4096];
        ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        std::lock_guard<std::mutex> lock(mutex);
        if (n > 0) {
          sinks[i]->append(buf, static_cast<size_t>(n));
        } else {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open;
        }
        changed.notify_all();
      }
    }
    std::lock_guard<std::mutex> lock(mutex);
    eof = true;
    changed.notify_all();
  }

  // Reaps the child when it has ended; true then.
  bool reap(bool block) {
    if (exit_code) return true;
    int status = 0;
    if (::waitpid(pid, &status, block ? 0 : WNOHANG) != pid) return false;
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
  }
};

child_process::child_process(const std::vector<std::string>& argv)
    : impl_(std::make_unique<impl>()) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    // The test process may block signals (emsd's own tests do); the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  impl_->pid = pid;
  impl_->out_fd = out_pipe[0];
  impl_->err_fd = err_pipe[0];
  impl_->reader = std::thread([this] { impl_->read_all(); });
}

child_process::~child_process() {
  if (!impl_->reap(false)) {
    ::kill(impl_->pid, SIGKILL);
    impl_->reap(true);
  }
  impl_->reader.join();
}

bool child_process::wait_for_output(const std::string& text, std::chrono::milliseconds timeout,
                                    bool on_stderr) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  const std::string& sink = on_stderr ? impl_->err : impl_->out;
  return impl_->changed.wait_for(lock, timeout, [&] {
    return sink.find(text) != std::string::npos || impl_->eof;
  }) && sink.find(text) != std::string::npos;
}

std::string child_process::out() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->out;
}

std::string child_process::err() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->err;
}

int child_process::pid() const {
  return impl_->pid;
}

void child_process::signal(int sig) {
  if (!impl_->exit_code) ::kill(impl_->pid, sig);
}

bool child_process::running() {
  return !impl_->reap(false);
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // What it wrote just before it ended is read too (a program that flushes
  // at exit), unless a child of its own still holds the pipes open.
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->changed.wait_for(lock, std::chrono::seconds(2), [&] { return impl_->eof; });
  return impl_->exit_code;
}

std::uint16_t port_after(const std::string& text, const std::string& marker) {
  auto pos = text.find(marker);
  if (pos == std::string::npos) return 0;
  pos += marker.size();
  unsigned long port = 0;
  std::size_t digits = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) && digits < 6) {
    port = port * 10 + static_cast<unsigned long>(text[pos++] - '0');
    ++digits;
  }
  return digits && port <= 65535 ? static_cast<std::uint16_t>(port) : 0;
}

}  // namespace em::test
