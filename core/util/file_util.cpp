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

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  auto dir = path.parent_path();
  std::random_device rd;
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw error("cannot create " + tmp.string() + ": " + errno_text());
  auto fail = [&](const std::string& what) {
    int saved = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw error(what + " " + tmp.string() + ": " + std::strerror(saved));
  };
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot sync");
  if (::close(fd) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    throw error("cannot close " + tmp.string() + ": " + std::strerror(saved));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    throw error("cannot replace " + path.string() + ": " + std::strerror(saved));
  }
  fsync_dir(dir);
}

}  // namespace em
