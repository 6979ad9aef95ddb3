#include "tools/emsd/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"

namespace emsd {
namespace {

std::string read_holder(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && !std::isdigit(static_cast<unsigned char>(pid.back())))
    pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

std::filesystem::path instance_lock::path_for(const std::filesystem::path& store_file,
                                              const std::string& server) {
  // Server names are case-insensitive in the store, so the lock is too.
  std::string key;
  for (char c : server)
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto file = store_file;
  file += ".emsd-" + key + ".lock";
  return file;
}

instance_lock::instance_lock(const std::filesystem::path& store_file, const std::string& server) {
  auto file = path_for(store_file, server);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw em::error("cannot open the instance lock " + file.string() + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int saved = errno;
    std::string holder = read_holder(fd_);
    ::close(fd_);
    fd_ = -1;
    if (saved == EWOULDBLOCK)
      throw em::error("another emsd is already running for server " + server + " (pid " + holder +
                      "); use emctl check-now to run a check cycle now");
    throw em::error("cannot lock " + file.string() + ": " + std::strerror(saved));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    ssize_t written = ::pwrite(fd_, pid.data(), pid.size(), 0);
    (void)written;  // the PID is for messages only; the lock is what counts
  }
}

instance_lock::~instance_lock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock; the file stays for the next start
}

}  // namespace emsd
