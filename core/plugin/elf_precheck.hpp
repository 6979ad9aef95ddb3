#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace em {

// Why a file must not be handed to dlopen, found from its ELF headers alone;
// nothing when it looks whole (dlopen then has the last word, and its own
// messages for foreign or malformed files). It exists because glibc maps a
// truncated library (a plugin half-copied into the folder) without checking
// its segments against the file's size, and the service then dies of SIGBUS
// instead of refusing one plugin.
std::optional<std::string> elf_precheck(const std::filesystem::path& file);

}  // namespace em
