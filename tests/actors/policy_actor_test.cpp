#include <catch2/catch.hpp>

#include "actors/policy_actor.hpp"
#include "core/model/document_parser.hpp"
#include "core/plugin/local_plugins.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em;

namespace {

// Always in effect after the first apply; enough to see the wiring.
class once_applier : public emservice::applier {
 public:
  bool applied = false;
  emservice::outcome validate(const emservice::action&) override { return {}; }
  emservice::check_result check(const emservice::action&) override {
    return {applied ? emservice::check_state::in_effect : emservice::check_state::not_in_effect,
            {}};
  }
  emservice::outcome apply(const emservice::action&) override {
    applied = true;
    return emservice::outcome::success();
  }
  emservice::outcome rollback(const emservice::action&) override { return {}; }
};

struct policy_fixture : test::actor_fixture {
  test::temp_dir dir;
  std::shared_ptr<em::store> store = open_sqlite_store(dir / "state.db");
  once_applier applier;
  local_plugins plugins{[this](const std::string&) { return &applier; }};
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);
  std::shared_ptr<std::vector<notification>> told = std::make_shared<std::vector<notification>>();
  notify_actor notify = spawn(test::mock_notify, told);

  policy_actor spawn_policy(const std::string& server) {
    auto engine = std::make_shared<policy_engine>(
        *store, plugins,
        server_identity{server, "Exchange2019", build_version::parse("15.2.1118.7")});
    return spawn(
        em::policy, engine, audit, [] { return std::chrono::system_clock::now(); }, notify);
  }

  verified_document document() {
    return {"file:///doc.xml",
            parse_mitigation_document("<EOCS sequence=\"3\"><Config id=\"PING1\" desc=\"ping\">"
                                      "<ActionList><Action type=\"DoNothing\"><Value>DoNothing"
                                      "</Value></Action></ActionList></Config></EOCS>"),
            "digest",
            "CN=signer",
            "<EOCS signed/>",
            "\"v1\""};
  }
};

}  // namespace

TEST_CASE_METHOD(policy_fixture, "the policy answers the cycle and tells the audit actor") {
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  auto report = request<cycle_report>(spawn_policy("EX01"), apply_atom::value, document());
  REQUIRE(report);
  CHECK(report->applied == std::vector<std::string>{"PING1.1"});
  REQUIRE(report->statuses.size() == 1);
  CHECK(report->statuses[0].state == action_state::applied);
  CHECK(journal->logged(log_level::information, "Applied mitigation PING1.1"));
  CHECK(journal->count_events(event_id::applied) == 1);
  CHECK(journal->count_events(event_id::cycle_completed) == 1);
  CHECK(store->find_server("EX01")->applied == std::vector<std::string>{"PING1.1"});
  auto kept = store->load_document("EX01");
  REQUIRE(kept);
  CHECK(kept->bytes == "<EOCS signed/>");
  CHECK(kept->etag == "\"v1\"");
}

TEST_CASE_METHOD(policy_fixture,
                 "a store failure is an error answer with event 1008, not a crash") {
  auto report = request<cycle_report>(spawn_policy("UNREGISTERED"), apply_atom::value, document());
  REQUIRE_FALSE(report);
  CHECK(report.error().code() == static_cast<std::uint8_t>(cycle_errc::internal));
  CHECK_THAT(reason_of(report.error()), Catch::Contains("not registered"));
  CHECK(journal->count_events(event_id::error) == 1);
}

TEST_CASE_METHOD(policy_fixture, "a cycle that applied something is told to the notify actor") {
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  auto policy = spawn_policy("EX01");
  REQUIRE(request<cycle_report>(policy, apply_atom::value, document()));
  REQUIRE(request<bool>(notify, flush_atom::value));
  REQUIRE(told->size() == 1);
  CHECK(told->at(0).event == "Cycle");
  CHECK(told->at(0).server == "EX01");
  CHECK(told->at(0).applied == std::vector<std::string>{"PING1.1"});
  REQUIRE(told->at(0).actions.size() == 1);
  CHECK(told->at(0).actions[0].status == "Applied");

  // The next cycle finds it in effect: nothing new, nothing failed, no news.
  REQUIRE(request<cycle_report>(policy, apply_atom::value, document()));
  REQUIRE(request<bool>(notify, flush_atom::value));
  CHECK(told->size() == 1);
}
