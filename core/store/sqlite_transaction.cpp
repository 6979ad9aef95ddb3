#include "core/store/sqlite_transaction.hpp"

#include <sqlite3.h>

#include "core/store/sqlite_connection.hpp"

namespace em {

sqlite_transaction::sqlite_transaction(sqlite_connection& db, mode m) : db_(db) {
  db_.exec(m == mode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

sqlite_transaction::~sqlite_transaction() {
  // Not exec(): a destructor must not throw, and a failed ROLLBACK (the
  // transaction already ended by SQLite itself) leaves nothing to undo.
  if (open_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void sqlite_transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace em
