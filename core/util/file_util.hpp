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

// Replaces a file atomically: temporary file in the same folder, fsync, rename,
// folder fsync. On any failure the previous file is left as it was and em::error
// says what failed.
void write_file_atomic(const std::filesystem::path& path, std::string_view content,
                       unsigned mode = 0644);

}  // namespace em
