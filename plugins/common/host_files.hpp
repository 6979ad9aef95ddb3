#pragma once

// Whole-file reads and writes of the built-in plugins, through the host
// (host_api::read_file and write_file_atomic do the atomic part); what is
// left here is the plugins' own policy: a missing file is not an error, and
// every change leaves a timestamped backup beside the file (backup_files).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <emservice/plugin.hpp>

#include "plugins/common/backup_files.hpp"

namespace emplugin {

// The file's bytes, or nothing when it does not exist. Throws (the host's
// std::runtime_error) when it exists but cannot be read.
std::optional<std::string> read_if_exists(emservice::host_api& host,
                                          const std::filesystem::path& path);

// A backup of `old` (the file's bytes, when it exists), then the host's
// atomic replace of `path` with `content`. When the replacement fails the
// backup is removed again: nothing changed, and a failing cycle must not fill
// the folder with copies. After success, only the newest `keep` of the
// service's backups of `path` stay (a backup that cannot be removed is a
// warning in the log). Returns the backup's path (empty without `old`).
std::filesystem::path write_with_backup(emservice::host_api& host,
                                        const std::filesystem::path& path,
                                        const std::optional<std::string>& old,
                                        const std::string& content, std::size_t keep);

// Before an edit of `path`: removes what an earlier edit killed half-way left
// beside it (remove_leftovers), saying so in the log.
void clear_leftovers(emservice::host_api& host, const std::filesystem::path& path);

// Removes a file the plugin created (rollback), durably.
void remove_file(const std::filesystem::path& path);

}  // namespace emplugin
