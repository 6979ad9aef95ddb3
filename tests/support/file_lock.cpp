#include "tests/support/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <stdexcept>

namespace em::test {

file_lock::file_lock(const std::filesystem::path& file)
    : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
  if (fd_ < 0) throw std::runtime_error("cannot open the lock file " + file.string());
  ::flock(fd_, LOCK_EX);
}

file_lock::~file_lock() {
  ::close(fd_);  // releases the lock
}

}  // namespace em::test
