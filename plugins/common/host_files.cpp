#include "plugins/common/host_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "plugins/common/plugin_error.hpp"

namespace emplugin {

std::optional<std::string> read_if_exists(emservice::host_api& host,
                                          const std::filesystem::path& path) {
  std::error_code ec;
  // When existence cannot be told (a folder that cannot be searched), the
  // read says why.
  if (!std::filesystem::exists(path, ec) && !ec) return std::nullopt;
  return host.read_file(path.string());
}

std::filesystem::path write_with_backup(emservice::host_api& host,
                                        const std::filesystem::path& path,
                                        const std::optional<std::string>& old,
                                        const std::string& content, std::size_t keep) {
  std::filesystem::path backup;
  if (old) backup = write_backup(path, *old);
  try {
    host.write_file_atomic(path.string(), content);
  } catch (...) {
    if (!backup.empty()) ::unlink(backup.c_str());
    throw;
  }
  const std::string problems = prune_backups(path, keep);
  if (!problems.empty()) host.log(emservice::log_level::warning, problems);
  return backup;
}

void clear_leftovers(emservice::host_api& host, const std::filesystem::path& path) {
  for (const auto& f : remove_leftovers(path))
    host.log(emservice::log_level::warning,
             "removed " + f.string() + ", left by an edit that was interrupted");
}

void remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw plugin_error("cannot remove " + path.string() + ": " + std::strerror(errno));
  // Best effort: the file is gone either way; the sync only makes it last.
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace emplugin
