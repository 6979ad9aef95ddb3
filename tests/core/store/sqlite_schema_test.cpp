#include <catch2/catch.hpp>

#include <regex>

#include "core/store/sqlite_schema.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/util/error.hpp"
#include "tests/core/store/raw_sqlite.hpp"
#include "tests/support/temp_dir.hpp"

using em::test::raw_sqlite;
using em::test::temp_dir;

TEST_CASE("the store is created with its folder on first open") {
  temp_dir dir;
  const auto file = dir / "var/lib/emservice/state.db";
  REQUIRE_FALSE(std::filesystem::exists(file.parent_path()));

  auto store = em::open_sqlite_store(file);
  REQUIRE(std::filesystem::exists(file));

  raw_sqlite raw(file);
  CHECK(raw.scalar("PRAGMA user_version") == std::to_string(em::sqlite_schema_version));
  CHECK(raw.scalar("PRAGMA journal_mode") == "wal");
  for (const char* table : {"organization", "servers", "mitigations_applied", "mitigations_blocked",
                            "action_status", "admin_audit"}) {
    INFO(table);
    CHECK(raw.scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                 "name = '") +
                     table + "'") == "1");
  }
}

TEST_CASE("reopening keeps the data and the organisation ID") {
  temp_dir dir;
  const auto file = dir / "state.db";
  std::string org_id;
  {
    auto store = em::open_sqlite_store(file);
    org_id = store->get_org().organization_id;
    store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  }
  auto store = em::open_sqlite_store(file);
  CHECK(store->get_org().organization_id == org_id);
  REQUIRE(store->find_server("EX01"));
  CHECK(store->find_server("EX01")->build == "15.2.1118.7");
}

TEST_CASE("the organisation ID is a random UUID v4") {
  temp_dir dir;
  const auto a = em::open_sqlite_store(dir / "a.db")->get_org().organization_id;
  const auto b = em::open_sqlite_store(dir / "b.db")->get_org().organization_id;
  const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  CHECK(std::regex_match(a, uuid_v4));
  CHECK(std::regex_match(b, uuid_v4));
  CHECK(a != b);
}

TEST_CASE("a store with a newer schema version is refused, naming the file") {
  temp_dir dir;
  const auto file = dir / "state.db";
  em::open_sqlite_store(file);
  raw_sqlite(file).exec("PRAGMA user_version = 99");

  try {
    em::open_sqlite_store(file);
    FAIL("a newer schema was accepted");
  } catch (const em::store_error& e) {
    const std::string msg = e.what();
    CHECK(msg.find(file.string()) != std::string::npos);
    CHECK(msg.find("99") != std::string::npos);
    CHECK(msg.find("newer") != std::string::npos);
  }
  CHECK(raw_sqlite(file).scalar("PRAGMA user_version") == "99");
}

TEST_CASE("another program's SQLite database is not taken over") {
  temp_dir dir;
  const auto file = dir / "other.db";
  raw_sqlite(file).exec("CREATE TABLE notes (text TEXT)");

  CHECK_THROWS_AS(em::open_sqlite_store(file), em::store_error);
  CHECK(raw_sqlite(file).scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'servers'") ==
        "0");
}

TEST_CASE("a file that is not a database is refused with a store error naming it") {
  temp_dir dir;
  const auto file = dir / "state.db";
  em::test::write_text(file, std::string(4096, 'x'));
  try {
    em::open_sqlite_store(file);
    FAIL("a non-database was accepted");
  } catch (const em::store_error& e) {
    CHECK(std::string(e.what()).find(file.string()) != std::string::npos);
  }
}

TEST_CASE("an empty store path is refused") {
  CHECK_THROWS_AS(em::open_sqlite_store(""), em::store_error);
}
