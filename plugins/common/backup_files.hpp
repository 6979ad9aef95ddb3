#pragma once

// The service's own files beside a configuration file it edits: its backups
// (<name>.emservice-<UTC time>[-n].bak), kept to the newest [iis] backups,
// and what a killed process leaves behind (SPEC 10), removed by the next edit.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace emplugin {

// Writes `bytes` (the file's current content) to a new backup beside `path`,
// named <name>.emservice-<UTC time>[-n].bak, with the file's permission bits
// from its first byte, and returns its path. It never replaces another
// backup, and it appears whole or not at all: a killed process leaves at
// most a temporary file (<backup>.tmp.<pid>.<n>), which remove_leftovers
// takes away. Throws plugin_error when it cannot; nothing is left behind then.
std::filesystem::path write_backup(const std::filesystem::path& path, const std::string& bytes);

// The service's own backups of `path`, oldest first. Other files beside it
// (an administrator's web.config.bak, say) are never among them.
std::vector<std::filesystem::path> own_backups(const std::filesystem::path& path);

// Removes the oldest of the service's backups of `path` until `keep` are
// left. Best effort: returns what could not be removed and why ("" when all
// went), for a warning; an old backup that stays does no harm.
std::string prune_backups(const std::filesystem::path& path, std::size_t keep);

// Removes what an edit of `path` killed half-way left beside it: the host's
// temporary files (<name>.tmp.<pid>.<n>) and those of a backup, whose process
// is gone. A file of a process still running is left to it. Returns what was
// removed.
std::vector<std::filesystem::path> remove_leftovers(const std::filesystem::path& path);

}  // namespace emplugin
