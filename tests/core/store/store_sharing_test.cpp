// What a store shared by several processes promises, on every backend.
#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

#include "core/util/error.hpp"
#include "tests/core/store/store_backends.hpp"

TEMPLATE_TEST_CASE("two store objects see each other's writes", "[store]", EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto a = backend.open();
  auto b = backend.open();
  CHECK(a->get_org().organization_id == b->get_org().organization_id);

  a->register_server("EX01", "Exchange2019", "15.2.1118.7");
  REQUIRE(b->find_server("EX01"));

  em::server_changes c;
  c.blocked = std::vector<std::string>{"M1"};
  b->update_server("EX01", c, "alice");
  CHECK(a->find_server("EX01")->blocked == std::vector<std::string>{"M1"});
  a->set_org_mitigations_enabled(false, "bob");
  CHECK_FALSE(b->get_org().mitigations_enabled);
  CHECK(b->audit_log().size() == 2);
}

// SPEC 11: two administrators changing the same server at once both land,
// each with its audit row (etcd: compare-and-swap on the key's revision, retried).
TEMPLATE_TEST_CASE("concurrent administrators' changes to one server are all kept", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  backend.open()->register_server("EX01", "Exchange2019", "15.2.1118.7");
  constexpr int rounds = 8;
  std::string errors;
  std::mutex mutex;
  auto admin = [&](const std::string& user, auto change) {
    try {
      auto store = backend.open();
      for (int i = 0; i < rounds; ++i)
        store->update_server("EX01", change(i), user);
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex);
      errors += e.what();
    }
  };
  std::thread alice(admin, "alice", [](int i) {
    em::server_changes c;
    c.mitigations_enabled = i % 2 == 1;  // False, True, False, …: a change every time
    return c;
  });
  std::thread bob(admin, "bob", [](int i) {
    em::server_changes c;
    c.blocked = std::vector<std::string>{"M" + std::to_string(i + 1)};
    return c;
  });
  alice.join();
  bob.join();
  INFO(errors);
  CHECK(errors.empty());

  auto store = backend.open();
  const auto server = *store->find_server("EX01");
  CHECK(server.mitigations_enabled);
  CHECK(server.blocked == std::vector<std::string>{"M" + std::to_string(rounds)});
  const auto log = store->audit_log();
  REQUIRE(log.size() == 2 * rounds);
  int by_alice = 0, by_bob = 0;
  std::string blocked = "{}";
  bool enabled = true;
  for (const auto& e : log) {
    // Each row's old value is the previous row's new one: no change was lost.
    if (e.setting == "MitigationsBlocked") {
      CHECK(e.old_value == blocked);
      blocked = e.new_value;
      ++by_bob;
    } else {
      CHECK(e.old_value == (enabled ? "True" : "False"));
      enabled = e.new_value == "True";
      ++by_alice;
    }
  }
  CHECK(by_alice == rounds);
  CHECK(by_bob == rounds);
  for (std::size_t i = 1; i < log.size(); ++i)
    CHECK(log[i - 1].id < log[i].id);
}

TEMPLATE_TEST_CASE("the organisation's sequence floor is the highest any server accepted",
                   "[store]", EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  CHECK_FALSE(store->organization_sequence_floor());
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  store->register_server("EX02", "Exchange2019", "15.2.1118.7");
  auto cycle = [](std::uint64_t sequence, const std::string& body) {
    em::cycle_record c;
    c.checked_at = std::chrono::system_clock::now();
    c.result = "Completed";
    c.accepted_sequence = sequence;
    c.accepted_digest = "digest-" + std::to_string(sequence);
    c.document = em::stored_document{"https://feed/x", "", body, c.accepted_digest,
                                     std::chrono::system_clock::now()};
    return c;
  };
  store->record_cycle("EX01", cycle(5, "<EOCS sequence=\"5\"/>"));
  store->record_cycle("EX02", cycle(7, "<EOCS sequence=\"7\"/>"));
  store->record_cycle("EX01", cycle(6, "<EOCS sequence=\"6\"/>"));

  auto floor = backend.open()->organization_sequence_floor();
  REQUIRE(floor);
  CHECK(floor->server == "EX02");
  CHECK(floor->sequence == 7);
  CHECK(floor->digest == "digest-7");
  REQUIRE(floor->document);
  CHECK(floor->document->bytes == "<EOCS sequence=\"7\"/>");
}

TEMPLATE_TEST_CASE("plugin values are listed for a copy, by plugin and key", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  store->set_plugin_value("EX01", "service", "MSExchangeUM/state", "enabled");
  store->set_plugin_value("EX01", "apppool", "100%", "a/b");
  const auto values = store->plugin_values("EX01");
  REQUIRE(values.size() == 2);
  CHECK(values[0].plugin == "apppool");
  CHECK(values[0].key == "100%");
  CHECK(values[0].value == "a/b");
  CHECK(values[1].plugin == "service");
  CHECK(values[1].key == "MSExchangeUM/state");
  CHECK_THROWS_AS(store->plugin_values("EX09"), em::invalid_input);
}
