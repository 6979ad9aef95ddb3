#pragma once

namespace em {

class sqlite_connection;

// BEGIN on construction, ROLLBACK on destruction unless commit() ran, so an
// exception anywhere in a change leaves the store as it was.
class sqlite_transaction {
 public:
  // write: BEGIN IMMEDIATE, taking the write lock at once (waiting up to the
  // busy timeout) so a read-then-write can never fail half-way with SQLITE_BUSY.
  // read: BEGIN DEFERRED, a consistent snapshot under WAL.
  enum class mode { read, write };

  sqlite_transaction(sqlite_connection& db, mode m);
  ~sqlite_transaction();
  sqlite_transaction(const sqlite_transaction&) = delete;
  sqlite_transaction& operator=(const sqlite_transaction&) = delete;

  void commit();

 private:
  sqlite_connection& db_;
  bool open_ = true;
};

}  // namespace em
