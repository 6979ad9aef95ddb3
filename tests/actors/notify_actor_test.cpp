// The notify actor with a real notifier: a real command gets the JSON on its
// stdin; a failing one is logged, and nothing else happens (SPEC 14).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/notify_actor.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em;

namespace {

struct notify_fixture : test::actor_fixture {
  test::temp_dir dir;
  std::shared_ptr<em::store> store = open_sqlite_store(dir / "state.db");
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);

  notify_actor spawn_notify(std::vector<std::string> command) {
    notify_section s;
    s.command = std::move(command);
    s.timeout = std::chrono::seconds(10);
    return spawn(em::notify, std::make_shared<const notifier>(s), store, "EX01", audit);
  }

  static notification sample() {
    return {"Cycle",
            std::chrono::system_clock::now(),
            "EX01",
            "",
            "Completed: 1 applied",
            {"M1.1"},
            {},
            {},
            {{"M1.1", "UrlRewrite", "Block", "Applied", ""}}};
  }
};

}  // namespace

TEST_CASE_METHOD(notify_fixture, "the command gets the notification's JSON on its stdin") {
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  const auto out = dir / "told.json";
  auto notify = spawn_notify({"/bin/sh", "-c", "cat > '" + out.string() + "'"});
  self->send(notify, notify_atom::value, sample());
  run();
  auto j = nlohmann::json::parse(test::read_text(out));
  CHECK(j["Event"] == "Cycle");
  CHECK(j["Applied"] == nlohmann::json::array({"M1.1"}));
  CHECK(j["Actions"][0]["Type"] == "UrlRewrite");
  CHECK(journal->logged(log_level::information, "Notified /bin/sh of the Cycle on EX01"));
}

TEST_CASE_METHOD(notify_fixture, "a failing notifier is logged, and that is all") {
  auto notify = spawn_notify({"/bin/sh", "-c", "echo 'no route to pager' >&2; exit 3"});
  self->send(notify, notify_atom::value, sample());
  run();
  CHECK(journal->logged(log_level::error,
                        "Unable to notify of the Cycle on EX01: notify.command /bin/sh exited "
                        "with code 3: no route to pager"));
  CHECK(journal->count_events(event_id::error) == 0);
  CHECK(request<bool>(notify, flush_atom::value));
}
