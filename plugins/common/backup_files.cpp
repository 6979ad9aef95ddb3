#include "plugins/common/backup_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <regex>
#include <tuple>

#include "plugins/common/plugin_error.hpp"

namespace emplugin {
namespace fs = std::filesystem;

namespace {

// After "<name>.": a backup, and a temporary file of the host's atomic write
// (of the file itself or of a backup), named by the process that wrote it.
const std::regex backup_name(R"(emservice-(\d{8}T\d{6}\.\d{3}Z)(?:-(\d+))?\.bak)");
const std::regex temporary_name(
    R"((?:emservice-\d{8}T\d{6}\.\d{3}Z(?:-\d+)?\.bak\.)?tmp\.(\d{1,10})\.\d+)");

std::string why(int e) {
  return std::strerror(e);
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

// The part of `entry`'s name after "<name>.", when it is beside `path` and
// starts so.
std::optional<std::string> suffix_of(const fs::path& path, const fs::path& entry) {
  const std::string name = path.filename().string() + ".";
  const std::string f = entry.filename().string();
  if (f.size() <= name.size() || f.compare(0, name.size(), name) != 0) return std::nullopt;
  return f.substr(name.size());
}

std::vector<fs::path> entries_beside(const fs::path& path) {
  std::vector<fs::path> out;
  std::error_code ec;
  const auto folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (suffix_of(path, it->path())) out.push_back(it->path());
  return out;
}

// A process that still runs (a zombie does not). The calling process counts
// as gone: its calls come one at a time, so none of its writes is under way.
bool still_running(long pid) {
  if (pid <= 0 || pid == ::getpid()) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (stat && std::getline(stat, text)) {
    auto close = text.rfind(')');
    return close == std::string::npos || close + 2 >= text.size() ||
           (text[close + 2] != 'Z' && text[close + 2] != 'X');
  }
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

void sync_folder(const fs::path& file) {
  const auto folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

// `bytes` in a new file `tmp` with exactly `mode`, synced. Throws with errno's reason.
void write_new(const fs::path& tmp, const std::string& bytes, mode_t mode, const fs::path& backup) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw plugin_error("cannot create the backup " + backup.string() + ": " + why(errno));
  auto fail = [&](const std::string& step) {
    const int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw plugin_error("cannot " + step + " the backup " + backup.string() + ": " + why(e));
  };
  if (::fchmod(fd, mode) != 0) fail("set the mode of");
  for (std::size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("sync");
  if (::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw plugin_error("cannot write the backup " + backup.string() + ": " + why(e));
  }
}

}  // namespace

fs::path write_backup(const fs::path& path, const std::string& bytes) {
  // Written here rather than by host_api::write_file_atomic, which replaces:
  // a backup must never replace another one, and must carry the file's
  // permission bits from its first byte (web.config may hold secrets).
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0600;
  static std::atomic<unsigned> serial{0};
  const std::string base = path.string() + ".emservice-" + utc_stamp();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path backup =
        base + (attempt ? "-" + std::to_string(attempt) : std::string()) + ".bak";
    std::error_code ec;
    if (fs::exists(backup, ec)) continue;
    const fs::path tmp =
        backup.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial++);
    write_new(tmp, bytes, mode, backup);
    // link() takes the name only if it is free, so no backup replaces another.
    int rc = ::link(tmp.c_str(), backup.c_str());
    int err = rc == 0 ? 0 : errno;
    if (rc != 0 && err != EEXIST && !fs::exists(backup, ec)) {
      rc = ::rename(tmp.c_str(), backup.c_str());  // a file system without hard links
      err = rc == 0 ? 0 : errno;
    }
    ::unlink(tmp.c_str());
    if (rc == 0) {
      sync_folder(backup);
      return backup;
    }
    if (err != EEXIST)
      throw plugin_error("cannot create the backup " + backup.string() + ": " + why(err));
  }
  throw plugin_error("cannot find a free backup name beside " + path.string());
}

std::vector<fs::path> own_backups(const fs::path& path) {
  std::vector<std::tuple<std::string, unsigned long, fs::path>> found;
  for (const auto& entry : entries_beside(path)) {
    std::smatch m;
    const std::string rest = *suffix_of(path, entry);
    if (!std::regex_match(rest, m, backup_name)) continue;
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(entry, ec))) continue;
    found.emplace_back(m[1].str(), m[2].matched ? std::stoul(m[2].str()) : 0UL, entry);
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found)
    out.push_back(std::get<2>(f));
  return out;
}

std::string prune_backups(const fs::path& path, std::size_t keep) {
  auto backups = own_backups(path);
  std::string problems;
  for (std::size_t i = 0; i + keep < backups.size(); ++i)
    if (::unlink(backups[i].c_str()) != 0 && errno != ENOENT)
      problems += (problems.empty() ? "" : "; ") + std::string("cannot remove the old backup ") +
                  backups[i].string() + ": " + why(errno);
  return problems;
}

std::vector<fs::path> remove_leftovers(const fs::path& path) {
  std::vector<fs::path> removed;
  for (const auto& entry : entries_beside(path)) {
    std::smatch m;
    const std::string rest = *suffix_of(path, entry);
    if (!std::regex_match(rest, m, temporary_name) || still_running(std::stol(m[1].str())))
      continue;
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(entry, ec))) continue;
    if (::unlink(entry.c_str()) == 0) removed.push_back(entry);
  }
  if (!removed.empty()) sync_folder(path);
  return removed;
}

}  // namespace emplugin
