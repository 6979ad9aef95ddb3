#pragma once

namespace em {

class sqlite_connection;

// The schema version this program writes, kept in PRAGMA user_version.
inline constexpr int sqlite_schema_version = 1;

// Brings the store's schema to sqlite_schema_version in one transaction:
// creates it in a new file, upgrades an older one. Throws em::store_error
// naming the file for a newer version or a database that is not a store.
void migrate_sqlite_schema(sqlite_connection& db);

}  // namespace em
