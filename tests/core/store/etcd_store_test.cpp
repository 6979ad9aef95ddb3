// What the etcd store does beyond the store contract (SPEC 11): liveness,
// watches, the error an unreachable etcd gives. On the member the run shares.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/store/etcd/etcd_store.hpp"
#include "core/util/error.hpp"
#include "tests/core/store/store_backends.hpp"
#include "tests/support/etcd/etcd_launch.hpp"

using namespace std::chrono_literals;

namespace {

// What a fleet session told its service, for a test to wait on.
struct session_log {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> changes;
  std::vector<std::string> notes;

  em::fleet_callbacks callbacks() {
    em::fleet_callbacks c;
    c.settings_changed = [this](const std::string& what) {
      std::lock_guard lock(mutex);
      changes.push_back(what);
      changed.notify_all();
    };
    c.note = [this](const std::string& line, bool) {
      std::lock_guard lock(mutex);
      notes.push_back(line);
      changed.notify_all();
    };
    return c;
  }

  bool wait_for(const std::vector<std::string>& where, const std::string& text,
                std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] {
      for (const auto& line : where)
        if (line.find(text) != std::string::npos) return true;
      return false;
    });
  }
  std::size_t change_count() {
    std::lock_guard lock(mutex);
    return changes.size();
  }
};

}  // namespace

TEST_CASE("a running service is Running with a LastSeen, and Offline once it stops") {
  em::test::etcd_backend backend;
  EM_REQUIRE_BACKEND(backend);
  auto service = backend.open();
  auto admin = backend.open();
  service->register_server("EX01", "Exchange2019", "15.2.1118.7");
  CHECK(admin->find_server("EX01")->online == std::optional<bool>(false));
  CHECK_FALSE(admin->find_server("EX01")->last_seen);

  session_log log;
  const auto before = std::chrono::system_clock::now() - 1s;
  auto session = service->join_fleet("EX01", log.callbacks());
  REQUIRE(session);
  REQUIRE(log.wait_for(log.notes, "Holding etcd lease"));
  auto seen = admin->find_server("EX01");
  CHECK(seen->online == std::optional<bool>(true));
  REQUIRE(seen->last_seen);
  CHECK(*seen->last_seen >= before);
  CHECK(admin->list_servers().at(0).online == std::optional<bool>(true));

  session.reset();  // the lease is revoked: Offline at once, LastSeen kept
  auto gone = admin->find_server("EX01");
  CHECK(gone->online == std::optional<bool>(false));
  CHECK(gone->last_seen == seen->last_seen);
}

TEST_CASE("a service hears of a change of the settings it acts on, and of no other") {
  em::test::etcd_backend backend;
  EM_REQUIRE_BACKEND(backend);
  auto service = backend.open();
  auto admin = backend.open();
  service->register_server("EX01", "Exchange2019", "15.2.1118.7");
  admin->register_server("EX02", "Exchange2019", "15.2.1118.7");
  session_log log;
  auto session = service->join_fleet("EX01", log.callbacks());
  REQUIRE(log.wait_for(log.notes, "Watching the settings"));

  admin->set_org_mitigations_enabled(false, "alice");
  CHECK(log.wait_for(log.changes,
                     "MitigationsEnabled of the organisation changed from True to False"));
  em::server_changes block;
  block.blocked = std::vector<std::string>{"M1"};
  admin->update_server("EX01", block, "alice");
  CHECK(log.wait_for(log.changes, "MitigationsBlocked of EX01 changed from {} to {M1}"));
  em::server_changes off;
  off.mitigations_enabled = false;
  admin->update_server("ex01", off, "bob");
  CHECK(log.wait_for(log.changes, "MitigationsEnabled of EX01 changed from True to False"));
  const auto heard = log.change_count();

  // Neither another server's settings nor the proxy are acted on.
  admin->update_server("EX02", block, "alice");
  em::server_changes proxy;
  proxy.internet_web_proxy = "http://proxy:8080";
  admin->update_server("EX01", proxy, "alice");
  admin->set_org_mitigations_enabled(false, "alice");  // unchanged: not even written
  std::this_thread::sleep_for(500ms);
  CHECK(log.change_count() == heard);
}

TEST_CASE("an unreachable etcd is one line naming the endpoint and the reason") {
  const auto port = em::test::free_member_ports(1).at(0).client;
  em::etcd_section section;
  section.endpoints = {"http://127.0.0.1:" + std::to_string(port)};
  section.prefix = "/emtest/unreachable/";
  section.timeout = 300ms;
  auto store = em::open_etcd_store(section);
  const auto start = std::chrono::steady_clock::now();
  try {
    store->get_org();
    FAIL("no error");
  } catch (const em::store_unavailable& e) {
    CHECK(std::string(e.what()) ==
          "store unavailable: http://127.0.0.1:" + std::to_string(port) + ": connection refused");
  }
  // Failover tries again until the timeout, not longer.
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("a member that is down is skipped for one that answers") {
  em::test::etcd_backend backend;
  EM_REQUIRE_BACKEND(backend);
  const auto port = em::test::free_member_ports(1).at(0).client;
  auto section = backend.etcd->section(backend.prefix);
  section.endpoints.insert(section.endpoints.begin(), "https://127.0.0.1:" + std::to_string(port));
  auto store = em::open_etcd_store(section);
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  CHECK(store->find_server("EX01"));
}

TEST_CASE("a value that is not the store's is an error naming the key") {
  em::test::etcd_backend backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = em::open_etcd_store(backend.etcd->section(backend.prefix));
  em::etcd::txn_request txn;
  txn.success = {em::etcd::put(store->keys().org(), "not json")};
  store->client().txn(txn);
  try {
    store->get_org();
    FAIL("no error");
  } catch (const em::store_error& e) {
    CHECK(std::string(e.what()).rfind("etcd key " + backend.prefix + "org: bad value: not JSON",
                                      0) == 0);
  }
}
