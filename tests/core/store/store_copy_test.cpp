// emctl store copy's core (SPEC 11): an SQLite store, whole, into etcd.
#include <catch2/catch.hpp>

#include "core/store/store_copy.hpp"
#include "core/util/error.hpp"
#include "tests/core/store/store_backends.hpp"

namespace {

em::action_status status(const std::string& server, const std::string& id, em::action_state s) {
  em::action_status a;
  a.server = server;
  a.action_id = id;
  a.type = "UrlRewrite";
  a.description = "Block autodiscover PowerShell requests";
  a.state = s;
  a.reason = s == em::action_state::failed ? "no plugin" : "";
  a.updated = *em::parse_rfc3339("2026-11-27T10:00:00.250Z");
  return a;
}

}  // namespace

TEST_CASE("store copy moves settings, statuses, documents, plugin values and audit history") {
  em::test::etcd_backend etcd;
  EM_REQUIRE_BACKEND(etcd);
  em::test::sqlite_backend sqlite;
  auto source = sqlite.open();
  source->register_server("EX01", "Exchange2019", "15.2.1118.7");
  source->register_server("ex02", "Exchange2016", "15.1.2507.6");
  em::server_changes c;
  c.blocked = std::vector<std::string>{"M1", "PING1.1"};
  c.internet_web_proxy = "http://proxy:8080";
  c.data_collection_enabled = true;
  source->update_server("EX01", c, "alice");
  source->set_org_mitigations_enabled(false, "bob");
  em::cycle_record cycle;
  cycle.checked_at = *em::parse_rfc3339("2026-11-27T10:00:00.123Z");
  cycle.result = "Completed: 1 applied";
  cycle.applied = {"M2.1"};
  cycle.statuses = {status("EX01", "M2.1", em::action_state::applied),
                    status("EX01", "M1.1", em::action_state::blocked)};
  cycle.accepted_sequence = 42;
  cycle.accepted_digest = "d42";
  cycle.document = em::stored_document{"https://feed/x", "\"e1\"", "<EOCS/>", "d42",
                                       *em::parse_rfc3339("2026-11-27T09:59:59Z")};
  source->record_cycle("EX01", cycle);
  source->set_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart", "true");
  source->append_audit("carol", "EX01", "Rollback", "M2.1 Applied", "M2.1 rolled back");

  auto target = em::open_etcd_store(etcd.etcd->section(etcd.prefix));
  const auto summary = em::copy_sqlite_to_etcd(sqlite.dir / "state.db", *target);
  CHECK(summary.servers == 2);
  CHECK(summary.statuses == 2);
  CHECK(summary.documents == 1);
  CHECK(summary.plugin_values == 1);
  CHECK(summary.audit_entries == 5);

  auto copy = etcd.open();
  CHECK(copy->get_org().organization_id == source->get_org().organization_id);
  CHECK_FALSE(copy->get_org().mitigations_enabled);
  const auto servers = copy->list_servers();
  REQUIRE(servers.size() == 2);
  const auto& ex01 = servers[0];
  const auto original = *source->find_server("EX01");
  CHECK(ex01.name == "EX01");
  CHECK(servers[1].name == "ex02");
  CHECK(ex01.blocked == original.blocked);
  CHECK(ex01.internet_web_proxy == original.internet_web_proxy);
  CHECK(ex01.data_collection_enabled);
  CHECK(ex01.applied == std::vector<std::string>{"M2.1"});
  CHECK(ex01.highest_sequence == std::optional<std::uint64_t>(42));
  CHECK(ex01.accepted_digest == "d42");
  CHECK(ex01.last_check == original.last_check);
  CHECK(ex01.last_result == original.last_result);
  CHECK(servers[1].build == "15.1.2507.6");

  const auto statuses = copy->action_statuses("EX01");
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0].action_id == "M1.1");
  CHECK(statuses[0].state == em::action_state::blocked);
  CHECK(statuses[1].updated == *em::parse_rfc3339("2026-11-27T10:00:00.250Z"));
  CHECK(copy->load_document("EX01")->etag == "\"e1\"");
  CHECK(copy->get_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart") == "true");

  const auto before = source->audit_log();
  const auto after = copy->audit_log();
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    INFO(i);
    CHECK(after[i].at == before[i].at);
    CHECK(after[i].user == before[i].user);
    CHECK(after[i].target == before[i].target);
    CHECK(after[i].setting == before[i].setting);
    CHECK(after[i].old_value == before[i].old_value);
    CHECK(after[i].new_value == before[i].new_value);
  }

  SECTION("a prefix that holds anything is not copied into") {
    try {
      em::copy_sqlite_to_etcd(sqlite.dir / "state.db", *target);
      FAIL("copied twice");
    } catch (const em::invalid_input& e) {
      CHECK(std::string(e.what()).find("the etcd prefix " + etcd.prefix + " is not empty") == 0);
    }
  }
}

TEST_CASE("store copy refuses a SQLite file that does not exist") {
  em::test::etcd_backend etcd;
  EM_REQUIRE_BACKEND(etcd);
  em::test::temp_dir dir;
  auto target = em::open_etcd_store(etcd.etcd->section(etcd.prefix));
  CHECK_THROWS_WITH(em::copy_sqlite_to_etcd(dir / "missing.db", *target),
                    "sqlite:" + (dir / "missing.db").string() + ": no such store file");
  CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));
  CHECK(target->count_keys() == 0);
}
