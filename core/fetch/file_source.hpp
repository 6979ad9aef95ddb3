#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace em {

// file:// URLs, for air-gapped hosts (SPEC 4 step 1): file:///abs/path or
// file://localhost/abs/path, percent-escapes decoded. nullopt when `url` is not
// such a URL (another scheme, a remote host, a relative path).
std::optional<std::filesystem::path> path_from_file_url(const std::string& url);

// Reads the document a file:// URL names. Throws em::error with a one-line
// reason: not a file URL, missing or unreadable file, over `max_size` bytes.
std::string fetch_file_url(const std::string& url, std::uint64_t max_size);

}  // namespace em
