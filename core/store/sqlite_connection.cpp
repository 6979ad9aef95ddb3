#include "core/store/sqlite_connection.hpp"

#include <sqlite3.h>

#include <thread>

#include "core/store/sqlite_statement.hpp"
#include "core/util/error.hpp"

namespace em {

sqlite_connection::sqlite_connection(const std::filesystem::path& file,
                                     std::chrono::milliseconds busy_timeout)
    : file_(file) {
  // FULLMUTEX: emsd's actors may share one store object across threads.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw store_error("store " + file_.string() + ": cannot open: " + why);
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    if (sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count())) != SQLITE_OK)
      fail("setting the busy timeout");
    exec("PRAGMA foreign_keys = ON");
    set_wal_mode(busy_timeout);
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

sqlite_connection::~sqlite_connection() {
  // Statements are finalized by their owners first; close_v2 copes if one is not.
  if (db_) sqlite3_close_v2(db_);
}

void sqlite_connection::set_wal_mode(std::chrono::milliseconds busy_timeout) {
  // Switching a new file to WAL needs an exclusive lock, and SQLite does not
  // always call the busy handler for it: another process opening the same
  // store at this moment must make us wait, not fail.
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  for (;;) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK) {
      if (mode != "wal")
        throw store_error("store " + file_.string() + ": cannot use WAL journaling (SQLite kept '" +
                          mode + "')");
      return;
    }
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() >= deadline)
      fail("switching to WAL journaling");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void sqlite_connection::exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    fail("running '" + sql + "'");
}

sqlite_statement sqlite_connection::prepare(const std::string& sql) {
  return sqlite_statement(*this, sql);
}

void sqlite_connection::fail(const std::string& doing) const {
  throw store_error("store " + file_.string() + ": " + doing + ": " + sqlite3_errmsg(db_));
}

}  // namespace em
