// The policy engine against a real SQLite store, with appliers written here
// so each plugin behaviour (in effect, not, failing, throwing) can be forced.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <set>

#include "core/model/document_parser.hpp"
#include "core/plugin/local_plugins.hpp"
#include "core/policy/policy_engine.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

// Keeps "the host" in a set: an action is in effect once applied.
class recording_applier : public emservice::applier {
 public:
  std::set<std::string> host;
  std::map<std::string, int> applies;
  std::string fail_apply;   // action ID whose apply fails
  std::string throw_check;  // action ID whose check throws

  emservice::outcome validate(const emservice::action& a) override {
    if (a.value_xml == "bad") return emservice::outcome::failure("Value 'bad' is not allowed");
    return emservice::outcome::success();
  }
  emservice::check_result check(const emservice::action& a) override {
    if (a.id == throw_check) throw std::runtime_error("boom");
    return {host.count(a.id) ? emservice::check_state::in_effect
                             : emservice::check_state::not_in_effect,
            {}};
  }
  emservice::outcome apply(const emservice::action& a) override {
    ++applies[a.id];
    if (a.id == fail_apply) return emservice::outcome::failure("disk full");
    host.insert(a.id);
    return emservice::outcome::success("done");
  }
  emservice::outcome rollback(const emservice::action& a) override {
    host.erase(a.id);
    return emservice::outcome::success();
  }
};

const char* doc_xml = R"(<EOCS sequence="7">
  <Config id="M1" desc="URL rewrite">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="Fake" desc="first"><Value>a</Value></Action>
      <Action type="Fake" desc="second"><Value>b</Value></Action>
    </ActionList>
  </Config>
  <Config id="PING1" desc="ping"><ActionList><Action type="Fake"><Value>p</Value></Action></ActionList></Config>
</EOCS>)";

struct fixture {
  em::test::temp_dir dir;
  std::unique_ptr<em::store> store = em::open_sqlite_store(dir / "state.db");
  recording_applier fake;
  em::local_plugins plugins{[this](const std::string& t) -> emservice::applier* {
    return t == "Fake" ? &fake : nullptr;
  }};
  em::mitigation_document doc = em::parse_mitigation_document(doc_xml);
  em::sys_time now = std::chrono::system_clock::now();

  fixture() { store->register_server("EX01", "Exchange2019", "15.2.1118.7"); }

  em::policy_engine engine(const char* build = "15.2.1118.7") {
    return em::policy_engine(*store, plugins,
                             {"EX01", "Exchange2019", em::build_version::parse(build)});
  }

  std::vector<std::string> applied() { return store->find_server("EX01")->applied; }

  em::stored_document origin(const std::string& digest) {
    return {"file:///feed.xml", "\"etag-1\"", "<EOCS signed/>", digest, now};
  }

  std::map<std::string, em::action_state> states() {
    std::map<std::string, em::action_state> out;
    for (auto& s : store->action_statuses("EX01"))
      out[s.action_id] = s.state;
    return out;
  }
};

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("a cycle applies what is not in effect and records MitigationsApplied") {
  fixture f;
  auto out = f.engine().run(f.doc, f.origin("d1"), f.now);
  CHECK(out.applied == strings{"M1.1", "M1.2", "PING1.1"});
  CHECK(f.applied() == strings{"M1.1", "M1.2", "PING1.1"});
  CHECK(f.fake.applies == std::map<std::string, int>{{"M1.1", 1}, {"M1.2", 1}, {"PING1.1", 1}});
  CHECK(f.states()["M1.2"] == em::action_state::applied);
  auto server = f.store->find_server("EX01");
  CHECK(server->highest_sequence == 7u);
  CHECK(server->last_result == out.result);
  auto kept = f.store->load_document("EX01");
  REQUIRE(kept);
  CHECK(kept->bytes == "<EOCS signed/>");
  CHECK(kept->etag == "\"etag-1\"");
  CHECK(kept->digest == "d1");
  int applied_events = 0, completed_events = 0;
  for (auto& e : out.events) {
    applied_events += e.id == em::event_id::applied;
    completed_events += e.id == em::event_id::cycle_completed;
  }
  CHECK(applied_events == 3);
  CHECK(completed_events == 1);

  SECTION("the next cycle finds everything in effect and changes nothing") {
    auto again = f.engine().run(f.doc, f.origin("d1"), f.now);
    CHECK(f.fake.applies["M1.1"] == 1);
    CHECK(again.applied == strings{"M1.1", "M1.2", "PING1.1"});
  }
  SECTION("drift: a mitigation undone on the host is applied again and the log says so") {
    f.fake.host.erase("M1.1");
    auto again = f.engine().run(f.doc, f.origin("d1"), f.now);
    CHECK(f.fake.applies["M1.1"] == 2);
    bool said = false;
    for (auto& l : again.logs)
      said = said || l.message.find("no longer in effect") != std::string::npos;
    CHECK(said);
  }
}

TEST_CASE("switches: nothing is applied, what is still in effect stays listed") {
  fixture f;
  f.engine().run(f.doc, f.origin("d1"), f.now);
  f.fake.host.erase("M1.2");  // undone by hand (or emctl rollback)
  SECTION("server switch off") {
    em::server_changes c;
    c.mitigations_enabled = false;
    f.store->update_server("EX01", c, "admin");
  }
  SECTION("organisation switch off") {
    f.store->set_org_mitigations_enabled(false, "admin");
  }
  auto out = f.engine().run(f.doc, f.origin("d1"), f.now);
  CHECK(f.fake.applies["M1.2"] == 1);
  CHECK(f.states()["PING1.1"] == em::action_state::disabled);
  CHECK(out.applied == strings{"M1.1", "PING1.1"});
}

TEST_CASE(
    "blocked actions are neither applied nor removed, with event 1007, and come back unblocked") {
  fixture f;
  f.engine().run(f.doc, f.origin("d1"), f.now);
  f.fake.host.erase("M1.2");
  em::server_changes block;
  block.blocked = strings{"M1.2"};
  f.store->update_server("EX01", block, "admin");
  auto out = f.engine().run(f.doc, f.origin("d1"), f.now);
  CHECK(f.fake.applies["M1.2"] == 1);
  CHECK(f.states()["M1.2"] == em::action_state::blocked);
  // Not applied again; and since it is no longer in effect, no longer listed.
  CHECK(out.applied == strings{"M1.1", "PING1.1"});
  int blocked_events = 0;
  for (auto& e : out.events)
    blocked_events += e.id == em::event_id::blocked;
  CHECK(blocked_events == 1);

  em::server_changes unblock;
  unblock.blocked = strings{};
  f.store->update_server("EX01", unblock, "admin");
  f.engine().run(f.doc, f.origin("d1"), f.now);
  CHECK(f.fake.applies["M1.2"] == 2);
  CHECK(f.states()["M1.2"] == em::action_state::applied);
}

TEST_CASE("a build upgraded past every range drops the Config from MitigationsApplied") {
  fixture f;
  f.engine().run(f.doc, f.origin("d1"), f.now);
  auto out = f.engine("15.2.1118.20").run(f.doc, f.origin("d1"), f.now);
  CHECK(out.applied == strings{"PING1.1"});
  CHECK(f.states()["M1.1"] == em::action_state::not_applicable);
  CHECK(f.fake.host.count("M1.1") == 1);  // the host change is left for the admin
}

TEST_CASE("a failing, throwing or unhandled action is Failed and never stops the others") {
  fixture f;
  f.fake.fail_apply = "M1.1";
  f.fake.throw_check = "M1.2";
  auto out = f.engine().run(f.doc, f.origin("d1"), f.now);
  CHECK(out.applied == strings{"PING1.1"});
  auto statuses = f.store->action_statuses("EX01");
  REQUIRE(statuses.size() == 3);
  CHECK(statuses[0].state == em::action_state::failed);
  CHECK(statuses[0].reason == "disk full");
  CHECK(statuses[1].state == em::action_state::failed);
  CHECK(statuses[1].reason == "check: boom");

  auto unknown = em::parse_mitigation_document(
      "<EOCS><Config id=\"X1\"><ActionList><Action type=\"Teleport\"><Value/></Action>"
      "</ActionList></Config><Config id=\"V1\"><ActionList><Action type=\"Fake\"><Value>bad"
      "</Value></Action></ActionList></Config></EOCS>");
  f.engine().run(unknown, f.origin("d2"), f.now);
  auto s = f.store->action_statuses("EX01");
  REQUIRE(s.size() == 2);
  CHECK(s[0].action_id == "V1.1");
  CHECK(s[0].reason == "invalid action: Value 'bad' is not allowed");
  CHECK(s[1].reason == "no plugin handles action type 'Teleport'");
}

namespace {
// Asks the service to stop while its first action is being applied.
class stopping_applier : public recording_applier {
 public:
  std::atomic<bool>* stop = nullptr;
  emservice::outcome apply(const emservice::action& a) override {
    stop->store(true);
    return recording_applier::apply(a);
  }
};
}  // namespace

TEST_CASE("a stop lets the action in hand finish and leaves the rest Pending") {
  fixture f;
  std::atomic<bool> stop{false};
  stopping_applier applier;
  applier.stop = &stop;
  em::local_plugins plugins([&](const std::string&) -> emservice::applier* { return &applier; });
  em::policy_engine engine(*f.store, plugins,
                           {"EX01", "Exchange2019", em::build_version::parse("15.2.1118.7")});
  engine.set_stop_flag(&stop);
  auto out = engine.run(f.doc, f.origin("d1"), f.now);
  CHECK(applier.applies == std::map<std::string, int>{{"M1.1", 1}});
  CHECK(out.applied == strings{"M1.1"});
  auto s = f.states();
  CHECK(s["M1.1"] == em::action_state::applied);
  CHECK(s["M1.2"] == em::action_state::pending);
  CHECK(s["PING1.1"] == em::action_state::pending);
}

// SPEC 11: an administrator's block that lands while a cycle runs keeps the
// actions not yet applied from being applied (the settings are read again
// right before each apply), without undoing what was applied before it.
TEST_CASE("issue_13_block_before_apply: a block added during a cycle stops the actions after it") {
  fixture f;
  struct blocking_applier : recording_applier {
    em::store* store = nullptr;
    emservice::outcome apply(const emservice::action& a) override {
      if (a.id == "M1.1") {  // an administrator blocks PING1 and disables nothing else
        em::server_changes c;
        c.blocked = std::vector<std::string>{"PING1"};
        store->update_server("EX01", c, "alice");
      }
      return recording_applier::apply(a);
    }
  } blocking;
  blocking.store = f.store.get();
  em::local_plugins plugins{[&](const std::string&) -> emservice::applier* { return &blocking; }};
  em::policy_engine engine(*f.store, plugins,
                           {"EX01", "Exchange2019", em::build_version::parse("15.2.1118.7")});
  auto out = engine.run(f.doc, f.origin("d1"), f.now);
  CHECK(blocking.applies == std::map<std::string, int>{{"M1.1", 1}, {"M1.2", 1}});
  CHECK(out.applied == strings{"M1.1", "M1.2"});
  auto states = f.states();
  CHECK(states["M1.2"] == em::action_state::applied);
  CHECK(states["PING1.1"] == em::action_state::blocked);

  SECTION("the organisation switch turned off during the cycle likewise") {
    fixture g;
    struct disabling_applier : recording_applier {
      em::store* store = nullptr;
      emservice::outcome apply(const emservice::action& a) override {
        store->set_org_mitigations_enabled(false, "bob");
        return recording_applier::apply(a);
      }
    } disabling;
    disabling.store = g.store.get();
    em::local_plugins plugins2{
        [&](const std::string&) -> emservice::applier* { return &disabling; }};
    em::policy_engine e2(*g.store, plugins2,
                         {"EX01", "Exchange2019", em::build_version::parse("15.2.1118.7")});
    e2.run(g.doc, g.origin("d1"), g.now);
    CHECK(disabling.applies == std::map<std::string, int>{{"M1.1", 1}});
    CHECK(g.states()["M1.2"] == em::action_state::disabled);
    CHECK(g.states()["PING1.1"] == em::action_state::disabled);
  }
}
