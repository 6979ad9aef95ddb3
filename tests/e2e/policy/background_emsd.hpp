#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>

namespace em::test {

// emsd running as a daemon in the background; killed at the end of the test
// if still running.
class background_emsd {
 public:
  explicit background_emsd(const std::filesystem::path& config);
  ~background_emsd();
  background_emsd(const background_emsd&) = delete;
  background_emsd& operator=(const background_emsd&) = delete;

  // Sends `sig` and waits up to `limit` for its exit code (-1: still running).
  int stop(int sig, std::chrono::seconds limit = std::chrono::seconds(20));
  bool running();

 private:
  pid_t pid_ = -1;
};

// Waits up to ten seconds for `file` to appear (a daemon's control socket).
bool wait_for(const std::filesystem::path& file);

}  // namespace em::test
