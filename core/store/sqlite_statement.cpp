#include "core/store/sqlite_statement.hpp"

#include <sqlite3.h>

#include "core/store/sqlite_connection.hpp"

namespace em {

sqlite_statement::sqlite_statement(sqlite_connection& db, const std::string& sql)
    : db_(&db), sql_(sql) {
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    db.fail("preparing '" + sql + "'");
}

sqlite_statement::~sqlite_statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

sqlite_statement::sqlite_statement(sqlite_statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)) {
  other.stmt_ = nullptr;
}

sqlite_statement& sqlite_statement::bind(int index, const std::string& value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("binding parameter " + std::to_string(index) + " of '" + sql_ + "'");
  return *this;
}

sqlite_statement& sqlite_statement::bind(int index, const char* value) {
  return bind(index, std::string(value));
}

sqlite_statement& sqlite_statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
    db_->fail("binding parameter " + std::to_string(index) + " of '" + sql_ + "'");
  return *this;
}

sqlite_statement& sqlite_statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
    db_->fail("binding parameter " + std::to_string(index) + " of '" + sql_ + "'");
  return *this;
}

bool sqlite_statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("running '" + sql_ + "'");
}

void sqlite_statement::run() {
  while (step()) {
  }
}

void sqlite_statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool sqlite_statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string sqlite_statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t sqlite_statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

}  // namespace em
