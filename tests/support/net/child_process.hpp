#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace em::test {

// A program running in the background for the length of a test (a server, a
// daemon): its output is collected as it comes, a test waits for a line,
// sends signals, and waits for the exit. The destructor kills it (SIGKILL)
// if it is still running.
class child_process {
 public:
  explicit child_process(const std::vector<std::string>& argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Waits until stdout (or stderr) contains `text`; false after `timeout`
  // or when the program ended without printing it.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout,
                       bool on_stderr = false);
  std::string out() const;
  std::string err() const;

  void signal(int sig);
  bool running();
  int pid() const;
  // The exit code (128 + signal when killed), or nullopt after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The number right after the first `marker` in `text`, e.g. the port a server
// printed after "Listening on https://127.0.0.1:"; 0 when there is none.
std::uint16_t port_after(const std::string& text, const std::string& marker);

}  // namespace em::test
