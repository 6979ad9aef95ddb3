#include "core/util/file_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "core/util/error.hpp"

namespace em {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

void fsync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw error("cannot open folder " + dir.string() + " to sync it: " + errno_text());
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) throw error("cannot sync folder " + dir.string() + ": " + std::strerror(saved));
}

}  // namespace

std::string read_file(const std::filesystem::path& path, std::size_t max_size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error("cannot read " + path.string() + ": " + errno_text());
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_size)
    throw error(path.string() + " is " + std::to_string(size) + " bytes, over the limit of " +
                std::to_string(max_size));
  std::string out;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    // The file may grow while we read it: the limit holds for what we hold.
    if (out.size() > max_size)
      throw error(path.string() + " is over the limit of " + std::to_string(max_size) + " bytes");
  }
  if (in.bad()) throw error("cannot read " + path.string() + ": " + errno_text());
  return out;
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode,
                       std::string* sync_warning) {
  auto dir = path.parent_path();
  struct stat old {};
  const bool existed = ::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode);
  std::random_device rd;
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd());
  // Owner-only until the old file's mode is set: its content may not be for everyone.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, existed ? 0600 : mode);
  if (fd < 0) throw error("cannot create " + tmp.string() + ": " + errno_text());
  const std::string what = "the new " + path.string() + " (" + tmp.string() + ")";
  auto fail = [&](const std::string& step) {
    int saved = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw error("cannot " + step + " " + what + ": " + std::strerror(saved));
  };
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (existed) {
    // Owner first: a change of owner clears set-id bits the mode then restores.
    // Only root may give a file away; anyone else owns what it writes.
    struct stat now {};
    if (::fstat(fd, &now) != 0) fail("inspect");
    if ((now.st_uid != old.st_uid || now.st_gid != old.st_gid) &&
        ::fchown(fd, old.st_uid, old.st_gid) != 0 && ::geteuid() == 0)
      fail("set the owner of");
    if (::fchmod(fd, old.st_mode & 07777) != 0) fail("set the mode of");
  }
  if (::fsync(fd) != 0) fail("sync");
  if (::close(fd) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    throw error("cannot close " + what + ": " + std::strerror(saved));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    throw error("cannot replace " + path.string() + ": " + std::strerror(saved));
  }
  if (!sync_warning) return fsync_dir(dir);
  try {
    fsync_dir(dir);
  } catch (const error& e) {
    *sync_warning = path.string() + " was replaced, but " + e.what() +
                    ": the change may not survive a power loss";
  }
}

}  // namespace em
