#include "plugins/common/host_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "plugins/common/plugin_error.hpp"

namespace emplugin {
namespace {

std::string why() {
  return std::strerror(errno);
}

std::string utc_stamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

}  // namespace

std::optional<std::string> read_if_exists(emservice::host_api& host,
                                          const std::filesystem::path& path) {
  std::error_code ec;
  // When existence cannot be told (a folder that cannot be searched), the
  // read says why.
  if (!std::filesystem::exists(path, ec) && !ec) return std::nullopt;
  return host.read_file(path.string());
}

std::filesystem::path write_backup(emservice::host_api& host, const std::filesystem::path& path,
                                   const std::string& bytes) {
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0600;
  const std::string base = path.string() + ".emservice-" + utc_stamp();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::filesystem::path backup =
        base + (attempt ? "-" + std::to_string(attempt) : std::string()) + ".bak";
    // The name is claimed first, exclusively and with the file's permission
    // bits, which the host's replace then keeps: a copy of a file others may
    // not read is not readable by them either, and no backup replaces another.
    int fd = ::open(backup.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) throw plugin_error("cannot create the backup " + backup.string() + ": " + why());
    ::close(fd);
    try {
      host.write_file_atomic(backup.string(), bytes);
    } catch (...) {
      ::unlink(backup.c_str());
      throw;
    }
    return backup;
  }
  throw plugin_error("cannot find a free backup name beside " + path.string());
}

std::filesystem::path write_with_backup(emservice::host_api& host,
                                        const std::filesystem::path& path,
                                        const std::optional<std::string>& old,
                                        const std::string& content) {
  std::filesystem::path backup;
  if (old) backup = write_backup(host, path, *old);
  try {
    host.write_file_atomic(path.string(), content);
  } catch (...) {
    if (!backup.empty()) ::unlink(backup.c_str());
    throw;
  }
  return backup;
}

void remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw plugin_error("cannot remove " + path.string() + ": " + why());
  // Best effort: the file is gone either way; the sync only makes it last.
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace emplugin
