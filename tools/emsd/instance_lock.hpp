#pragma once

#include <filesystem>
#include <string>

namespace emsd {

// One emsd per server name and store (SPEC 5: the store keys servers by
// name). Held with flock on a file beside the store for the life of the
// process; the kernel drops it when the process dies, so a crash never
// leaves a stale lock behind.
class instance_lock {
 public:
  // Throws em::error naming the server and the holder's PID when another
  // emsd (daemon or --once) holds the lock, or when the file cannot be opened.
  instance_lock(const std::filesystem::path& store_file, const std::string& server);
  ~instance_lock();
  instance_lock(const instance_lock&) = delete;
  instance_lock& operator=(const instance_lock&) = delete;

  static std::filesystem::path path_for(const std::filesystem::path& store_file,
                                        const std::string& server);

 private:
  int fd_ = -1;
};

}  // namespace emsd
