#pragma once

#include <filesystem>

namespace em::test {

// An exclusive flock(2) on `file` (created if missing), held until
// destruction: for work that test processes of several CTest runs or
// worktrees must do one at a time. Throws when the file cannot be opened.
class file_lock {
 public:
  explicit file_lock(const std::filesystem::path& file);
  ~file_lock();
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;

 private:
  int fd_;
};

}  // namespace em::test
