#include <catch2/catch.hpp>

#include "core/util/error.hpp"
#include "tests/core/store/store_backends.hpp"

namespace {

em::action_status status(const std::string& id, em::action_state state,
                         const std::string& reason = {}) {
  em::action_status s;
  s.action_id = id;
  s.type = "UrlRewrite";
  s.description = "Block autodiscover PowerShell requests";
  s.state = state;
  s.reason = reason;
  s.updated = *em::parse_rfc3339("2026-11-27T10:00:00.250Z");
  return s;
}

em::cycle_record cycle(std::optional<std::uint64_t> sequence, const std::string& digest) {
  em::cycle_record c;
  c.checked_at = *em::parse_rfc3339("2026-11-27T10:00:00.123Z");
  c.result = "Completed";
  c.applied = {"M1.1", "PING1.1"};
  c.statuses = {status("M1.1", em::action_state::applied),
                status("M1.2", em::action_state::blocked),
                status("PING1.1", em::action_state::applied)};
  c.accepted_sequence = sequence;
  c.accepted_digest = digest;
  return c;
}

}  // namespace

TEMPLATE_TEST_CASE("record_cycle stores the applied list, statuses and last check", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  store->record_cycle("ex01", cycle(42, "digest-42"));

  const auto r = *store->find_server("EX01");
  CHECK(r.applied == std::vector<std::string>{"M1.1", "PING1.1"});
  REQUIRE(r.last_check);
  CHECK(em::format_rfc3339_ms(*r.last_check) == "2026-11-27T10:00:00.123Z");
  CHECK(r.last_result == "Completed");
  CHECK(r.highest_sequence == std::optional<std::uint64_t>{42});
  CHECK(r.accepted_digest == "digest-42");

  const auto statuses = store->action_statuses("EX01");
  REQUIRE(statuses.size() == 3);
  CHECK(statuses[0].server == "EX01");
  CHECK(statuses[0].action_id == "M1.1");
  CHECK(statuses[1].state == em::action_state::blocked);
  CHECK(statuses[1].type == "UrlRewrite");
  CHECK(statuses[1].description == "Block autodiscover PowerShell requests");
  CHECK(em::format_rfc3339_ms(statuses[1].updated) == "2026-11-27T10:00:00.250Z");
  CHECK(store->audit_log().empty());  // the service's writes are not admin changes

  SECTION("the next cycle replaces the list and the statuses") {
    auto next = cycle(std::nullopt, "");
    next.result = "Rejected: bad digest";
    next.applied = {"PING1.1"};
    next.statuses = {status("PING1.1", em::action_state::applied),
                     status("M1.1", em::action_state::not_applicable, "build 15.2.1118.7")};
    store->record_cycle("EX01", next);
    const auto r2 = *store->find_server("EX01");
    CHECK(r2.applied == std::vector<std::string>{"PING1.1"});
    CHECK(r2.last_result == "Rejected: bad digest");
    CHECK(r2.highest_sequence == std::optional<std::uint64_t>{42});  // no sequence: kept
    const auto s2 = store->action_statuses("EX01");
    REQUIRE(s2.size() == 2);
    CHECK(s2[0].action_id == "M1.1");
    CHECK(s2[0].state == em::action_state::not_applicable);
    CHECK(s2[0].reason == "build 15.2.1118.7");
    CHECK(s2[1].action_id == "PING1.1");
  }
}

TEMPLATE_TEST_CASE("the highest accepted sequence only goes up", "[store]", EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  auto sequence = [&] { return store->find_server("EX01")->highest_sequence; };
  auto digest = [&] { return store->find_server("EX01")->accepted_digest; };

  store->record_cycle("EX01", cycle(42, "d42"));
  store->record_cycle("EX01", cycle(41, "d41"));
  CHECK(sequence() == std::optional<std::uint64_t>{42});
  CHECK(digest() == "d42");
  store->record_cycle("EX01", cycle(42, "other"));
  CHECK(digest() == "d42");
  store->record_cycle("EX01", cycle(43, "d43"));
  CHECK(sequence() == std::optional<std::uint64_t>{43});
  CHECK(digest() == "d43");

  SECTION("the full unsigned 64-bit range is kept and compared as unsigned") {
    const std::uint64_t big = 0xFFFF'FFFF'FFFF'FFF0ULL;  // negative as a signed integer
    store->record_cycle("EX01", cycle(big, "big"));
    CHECK(sequence() == std::optional<std::uint64_t>{big});
    store->record_cycle("EX01", cycle(44, "d44"));
    CHECK(sequence() == std::optional<std::uint64_t>{big});
  }
}

TEMPLATE_TEST_CASE("statuses are ordered by server, then action ID by position", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  store->register_server("EX02", "Exchange2019", "15.2.1118.7");
  store->register_server("ex01", "Exchange2019", "15.2.1118.7");
  auto c = cycle(1, "d");
  c.statuses = {status("M1.10", em::action_state::applied),
                status("M1.2", em::action_state::applied),
                status("M1.1", em::action_state::failed)};
  store->record_cycle("EX02", c);
  store->record_cycle("EX01", c);

  std::vector<std::string> order;
  for (const auto& s : store->action_statuses())
    order.push_back(s.server + " " + s.action_id);
  CHECK(order == std::vector<std::string>{"ex01 M1.1", "ex01 M1.2", "ex01 M1.10", "EX02 M1.1",
                                          "EX02 M1.2", "EX02 M1.10"});
}

TEMPLATE_TEST_CASE("record_cycle and action_statuses refuse an unknown server", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  CHECK_THROWS_AS(store->record_cycle("EX01", cycle(1, "d")), em::invalid_input);
  CHECK_THROWS_AS(store->action_statuses("EX01"), em::invalid_input);
  CHECK(store->action_statuses().empty());
}

TEMPLATE_TEST_CASE("a cycle with a repeated action ID changes nothing", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  store->record_cycle("EX01", cycle(1, "d1"));
  auto bad = cycle(2, "d2");
  bad.applied = {};
  bad.statuses.push_back(status("M1.1", em::action_state::failed));
  CHECK_THROWS_AS(store->record_cycle("EX01", bad), em::invalid_input);
  const auto r = *store->find_server("EX01");
  CHECK(r.applied.size() == 2);
  CHECK(r.highest_sequence == std::optional<std::uint64_t>{1});
  CHECK(store->action_statuses("EX01").size() == 3);
}
