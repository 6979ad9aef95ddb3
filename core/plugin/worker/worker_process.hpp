#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/plugin/worker/frame_io.hpp"

namespace em::worker {

// One emsd-plugin-worker process and its channel: a UNIX socket pair whose
// other end is the worker's descriptor 3. The worker gets no stdin, writes
// what plugins print to this process's stderr (never to its stdout, which may
// be a command's JSON output), and runs in a process group of its own, so
// that killing it takes whatever a plugin started too. Not thread-safe.
class worker_process {
 public:
  explicit worker_process(std::filesystem::path executable);
  ~worker_process();
  worker_process(const worker_process&) = delete;
  worker_process& operator=(const worker_process&) = delete;

  // Starts a fresh worker (stopping one still running). Throws em::error.
  void spawn();
  bool running() const { return fd_ >= 0; }
  pid_t pid() const { return pid_; }

  // Throws em::error when the worker is gone.
  void send(const std::string& payload);
  frame receive(std::chrono::milliseconds timeout);

  // After its channel closed: reaps it and says how it ended, e.g. "crashed
  // with signal 11 (SIGSEGV)" or "exited with code 1".
  std::string ended();
  // Kills its whole process group at once and reaps it.
  void kill();
  // Closes the channel so it exits on its own; killed after a short grace.
  void stop();

 private:
  void close_channel();
  int reap(std::chrono::milliseconds grace);

  std::filesystem::path executable_;
  pid_t pid_ = -1;
  int fd_ = -1;
};

}  // namespace em::worker
