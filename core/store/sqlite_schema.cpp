#include "core/store/sqlite_schema.hpp"

#include <string>

#include "core/store/random_uuid.hpp"
#include "core/store/sqlite_connection.hpp"
#include "core/store/sqlite_statement.hpp"
#include "core/store/sqlite_transaction.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

// Version 0 → 1: the first schema. Times are RFC 3339 text in UTC; booleans
// are 0/1; highest_sequence holds the unsigned 64-bit sequence's bit pattern
// (compared in C++, never in SQL). Lists keep the order they were given in.
void create_version_1(sqlite_connection& db) {
  db.exec(R"sql(
CREATE TABLE organization (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  organization_id     TEXT NOT NULL,
  mitigations_enabled INTEGER NOT NULL DEFAULT 1 CHECK (mitigations_enabled IN (0, 1))
);
CREATE TABLE servers (
  id                      INTEGER PRIMARY KEY,
  name                    TEXT NOT NULL UNIQUE COLLATE NOCASE,
  mitigations_enabled     INTEGER NOT NULL DEFAULT 1 CHECK (mitigations_enabled IN (0, 1)),
  data_collection_enabled INTEGER NOT NULL DEFAULT 0 CHECK (data_collection_enabled IN (0, 1)),
  internet_web_proxy      TEXT NOT NULL DEFAULT '',
  product                 TEXT NOT NULL DEFAULT '',
  build                   TEXT NOT NULL DEFAULT '',
  last_check              TEXT,
  last_result             TEXT NOT NULL DEFAULT '',
  highest_sequence        INTEGER,
  accepted_digest         TEXT NOT NULL DEFAULT ''
);
CREATE TABLE mitigations_applied (
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  action_id TEXT NOT NULL,
  PRIMARY KEY (server_id, position),
  UNIQUE (server_id, action_id)
);
CREATE TABLE mitigations_blocked (
  server_id     INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  mitigation_id TEXT NOT NULL,
  PRIMARY KEY (server_id, position),
  UNIQUE (server_id, mitigation_id)
);
CREATE TABLE action_status (
  server_id   INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  action_id   TEXT NOT NULL,
  type        TEXT NOT NULL,
  description TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('Applied', 'Blocked', 'NotApplicable', 'Disabled',
                                             'Failed', 'Pending')),
  reason      TEXT NOT NULL DEFAULT '',
  updated     TEXT NOT NULL,
  PRIMARY KEY (server_id, action_id)
);
CREATE TABLE documents (
  server_id  INTEGER PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
  source     TEXT NOT NULL,
  etag       TEXT NOT NULL DEFAULT '',
  body       TEXT NOT NULL,
  digest     TEXT NOT NULL,
  fetched_at TEXT NOT NULL
);
CREATE TABLE plugin_state (
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  plugin    TEXT NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (server_id, plugin, key)
);
CREATE TABLE admin_audit (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  user_name TEXT NOT NULL,
  target    TEXT NOT NULL,
  setting   TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL
);
)sql");
  db.prepare("INSERT INTO organization (id, organization_id) VALUES (1, ?1)")
      .bind_all(random_uuid())
      .run();
}

using migration = void (*)(sqlite_connection&);

// migrations[v] takes a store from version v to v + 1; a new version is one
// more function here and a bump of sqlite_schema_version.
constexpr migration migrations[] = {create_version_1};
static_assert(sizeof migrations / sizeof migrations[0] == sqlite_schema_version,
              "one migration per schema version");

int user_version(sqlite_connection& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  return stmt.step() ? static_cast<int>(stmt.integer(0)) : 0;
}

void refuse_newer(sqlite_connection& db, int version) {
  if (version > sqlite_schema_version)
    throw store_error("store " + db.file().string() + ": schema version " +
                      std::to_string(version) + " is newer than this program's (" +
                      std::to_string(sqlite_schema_version) +
                      "); use the EM Service release that wrote it");
}

// A version-0 file with tables of its own is some other program's database:
// adding ours to it would mix two applications' data.
void refuse_foreign(sqlite_connection& db) {
  auto stmt = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
  if (stmt.step() && stmt.integer(0) > 0)
    throw store_error("store " + db.file().string() +
                      ": is an SQLite database of another program (tables but no EM Service "
                      "schema version)");
}

}  // namespace

void migrate_sqlite_schema(sqlite_connection& db) {
  // Most opens find the schema current: check without taking the write lock.
  int version = user_version(db);
  refuse_newer(db, version);
  if (version == sqlite_schema_version) return;

  // Re-read under the write lock: another process may have just created it.
  sqlite_transaction tx(db, sqlite_transaction::mode::write);
  version = user_version(db);
  refuse_newer(db, version);
  if (version == 0) refuse_foreign(db);
  for (; version < sqlite_schema_version; ++version)
    migrations[version](db);
  // PRAGMA takes no bound parameters; the value is our own constant.
  db.exec("PRAGMA user_version = " + std::to_string(sqlite_schema_version));
  tx.commit();
}

}  // namespace em
