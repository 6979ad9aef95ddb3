#pragma once

// Whole-file reads and writes of the built-in plugins, through the host
// (host_api::read_file and write_file_atomic do the atomic part); what is
// left here is the plugins' own policy: a missing file is not an error, and
// every change leaves a timestamped backup beside the file.

#include <filesystem>
#include <optional>
#include <string>

#include <emservice/plugin.hpp>

namespace emplugin {

// The file's bytes, or nothing when it does not exist. Throws (the host's
// std::runtime_error) when it exists but cannot be read.
std::optional<std::string> read_if_exists(emservice::host_api& host,
                                          const std::filesystem::path& path);

// Writes `bytes` (the file's current content) to a new file beside it named
// <name>.emservice-<UTC time>[-n].bak, with the file's permission bits, and
// returns that path. Never replaces an existing backup. Throws plugin_error
// (or the host's error) when it cannot; nothing is left behind then.
std::filesystem::path write_backup(emservice::host_api& host, const std::filesystem::path& path,
                                   const std::string& bytes);

// A backup of `old` (the file's bytes, when it exists), then the host's
// atomic replace of `path` with `content`. When the replacement fails the
// backup is removed again: nothing changed, and a failing cycle must not fill
// the folder with copies. Returns the backup's path (empty without `old`).
std::filesystem::path write_with_backup(emservice::host_api& host,
                                        const std::filesystem::path& path,
                                        const std::optional<std::string>& old,
                                        const std::string& content);

// Removes a file the plugin created (rollback), durably.
void remove_file(const std::filesystem::path& path);

}  // namespace emplugin
