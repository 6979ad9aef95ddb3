#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "core/store/sqlite_store.hpp"
#include "core/util/error.hpp"
#include "tests/core/store/raw_sqlite.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;

TEST_CASE("a write waits for another connection's write transaction") {
  em::test::temp_dir dir;
  const auto file = dir / "state.db";
  auto store = em::open_sqlite_store(file);
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");

  em::test::raw_sqlite other(file);
  other.exec("BEGIN IMMEDIATE");
  other.exec("UPDATE servers SET build = '15.2.1118.9'");
  std::thread release([&] {
    std::this_thread::sleep_for(500ms);
    other.exec("COMMIT");
  });

  const auto start = std::chrono::steady_clock::now();
  em::server_changes c;
  c.mitigations_enabled = false;
  CHECK_NOTHROW(store->update_server("EX01", c, "alice"));
  const auto waited = std::chrono::steady_clock::now() - start;
  release.join();

  CHECK(waited >= 400ms);
  const auto r = *store->find_server("EX01");
  CHECK_FALSE(r.mitigations_enabled);
  CHECK(r.build == "15.2.1118.9");  // the other writer's change is kept too
}

TEST_CASE("readers are not blocked by a writer") {
  em::test::temp_dir dir;
  const auto file = dir / "state.db";
  auto store = em::open_sqlite_store(file);
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");

  em::test::raw_sqlite other(file);
  other.exec("BEGIN IMMEDIATE");
  other.exec("UPDATE servers SET build = '15.2.1118.9'");
  const auto start = std::chrono::steady_clock::now();
  CHECK(store->find_server("EX01")->build == "15.2.1118.7");  // the last committed state
  CHECK(std::chrono::steady_clock::now() - start < 300ms);
  other.exec("ROLLBACK");
}

TEST_CASE("processes starting together create the store once") {
  em::test::temp_dir dir;
  const auto file = dir / "new/state.db";
  std::vector<std::string> ids(4);
  std::vector<std::string> errors(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        ids[i] = em::open_sqlite_store(file)->get_org().organization_id;
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : threads)
    t.join();
  for (size_t i = 0; i < ids.size(); ++i) {
    INFO(errors[i]);
    CHECK(errors[i].empty());
    CHECK(ids[i] == ids[0]);
  }
  CHECK(em::test::raw_sqlite(file).scalar("SELECT count(*) FROM organization") == "1");
}

TEST_CASE("a write that fails half-way leaves the server as it was") {
  em::test::temp_dir dir;
  const auto file = dir / "state.db";
  auto store = em::open_sqlite_store(file);
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  // The audit insert comes after the settings' update in the same transaction.
  em::test::raw_sqlite(file).exec(
      "CREATE TRIGGER no_audit BEFORE INSERT ON admin_audit "
      "BEGIN SELECT RAISE(ABORT, 'audit table is read-only'); END");
  em::server_changes c;
  c.mitigations_enabled = false;
  c.blocked = std::vector<std::string>{"M1"};
  CHECK_THROWS_AS(store->update_server("EX01", c, "alice"), em::store_error);
  CHECK(store->find_server("EX01")->mitigations_enabled);
  CHECK(store->find_server("EX01")->blocked.empty());
  CHECK_THROWS_AS(store->set_org_mitigations_enabled(false, "alice"), em::store_error);
  CHECK(store->get_org().mitigations_enabled);
}
