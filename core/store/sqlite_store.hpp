#pragma once

#include <filesystem>
#include <memory>

#include "core/store/store.hpp"

namespace em {

// Opens (creating on first use, with its folder) the SQLite store: one file in
// WAL mode, shared by emsd and emctl; the schema is versioned with
// PRAGMA user_version and created or upgraded on open. Throws em::store_error
// naming the file when it cannot be opened or has a newer schema.
std::unique_ptr<store> open_sqlite_store(const std::filesystem::path& file);

}  // namespace em
