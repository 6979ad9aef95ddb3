#pragma once

#include <chrono>
#include <filesystem>
#include <string>

struct sqlite3;

namespace em {

class sqlite_statement;

// Owns one sqlite3* connection. Every failure becomes an em::store_error that
// names the file, so an operator knows which store is broken.
class sqlite_connection {
 public:
  // Opens (creating when missing) `file`, with foreign keys on, the busy
  // timeout set and WAL journaling.
  sqlite_connection(const std::filesystem::path& file, std::chrono::milliseconds busy_timeout);
  ~sqlite_connection();
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  sqlite3* get() const { return db_; }
  const std::filesystem::path& file() const { return file_; }

  // Statements without parameters only (pragmas, DDL, BEGIN/COMMIT).
  void exec(const std::string& sql);
  sqlite_statement prepare(const std::string& sql);

  // Throws store_error "store <file>: <doing>: <SQLite's message>".
  [[noreturn]] void fail(const std::string& doing) const;

 private:
  void set_wal_mode(std::chrono::milliseconds busy_timeout);

  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
};

}  // namespace em
