#pragma once

#include <cstdint>
#include <string>

struct sqlite3_stmt;

namespace em {

class sqlite_connection;

// Owns one prepared sqlite3_stmt*. Values reach SQL only through bind_*, never
// by building SQL text.
class sqlite_statement {
 public:
  sqlite_statement(sqlite_connection& db, const std::string& sql);
  ~sqlite_statement();
  sqlite_statement(sqlite_statement&& other) noexcept;
  sqlite_statement& operator=(sqlite_statement&&) = delete;
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  sqlite_statement& bind(int index, const std::string& value);
  sqlite_statement& bind(int index, const char* value);
  sqlite_statement& bind(int index, std::int64_t value);
  sqlite_statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  sqlite_statement& bind(int index, bool value) { return bind(index, std::int64_t{value ? 1 : 0}); }
  sqlite_statement& bind_null(int index);

  // Binds its arguments to ?1, ?2, … in order.
  template <class... Args>
  sqlite_statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // True when a row is ready to read, false when the statement is done.
  bool step();
  // Steps to the end, for statements that return no rows.
  void run();
  // Clears bindings and rewinds, to run again with new values.
  void reset();

  // Columns are 0-based, as in SQLite.
  bool is_null(int column) const;
  std::string text(int column) const;
  std::int64_t integer(int column) const;

 private:
  sqlite_connection* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

}  // namespace em
