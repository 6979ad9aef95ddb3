#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace em {

// Reads a whole file; throws em::error naming the path when it cannot, or when
// it is larger than max_size bytes (checked before and while reading).
std::string read_file(const std::filesystem::path& path,
                      std::size_t max_size = static_cast<std::size_t>(-1));

// Replaces a file atomically: temporary file in the same folder, fsync, the
// existing file's mode and owner (a new file gets `mode`, less the umask),
// rename, folder fsync. On any failure up to the rename the previous file is
// left as it was, the temporary file is removed and em::error says which step
// failed, naming the file. The owner is kept when the caller may set it
// (root); otherwise the caller becomes the owner, as with any new file.
//
// Only the folder fsync can fail after the rename, when the new content is
// already in place: with `sync_warning` that failure is described there
// instead of thrown, so a caller can tell "not changed" from "changed, maybe
// not durable".
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       unsigned mode = 0644, std::string* sync_warning = nullptr);

}  // namespace em
