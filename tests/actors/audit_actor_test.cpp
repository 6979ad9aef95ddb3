#include <catch2/catch.hpp>

#include <sstream>

#include "actors/audit_actor.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em;
using namespace std::chrono;

TEST_CASE_METHOD(test::actor_fixture, "the audit actor writes log lines and mirrors events") {
  test::temp_dir dir;
  auto log = std::make_shared<service_log>(dir.path(), "info");
  auto t0 = system_clock::from_time_t(1795773600);
  audit_actor a = spawn(em::audit, log, std::shared_ptr<event_sink>{}, [t0] { return t0; });
  self->send(a, log_atom::value,
             log_record{log_operation::fetch_mitigation, log_level::information, "Fetching"});
  self->send(a, event_atom::value,
             event_record{event_id::error, log_operation::verify_mitigation, log_level::error,
                          "Rejected"});
  auto flushed = request<bool>(a, flush_atom::value);
  REQUIRE(flushed);
  std::istringstream in(test::read_text(dir / "MitigationService.log"));
  std::string first, second, extra;
  std::getline(in, first);
  std::getline(in, second);
  CHECK(first ==
        "2026-11-27T10:00:00.000Z,FetchMitigation,S:LogLevel=Information;S:Message=Fetching");
  CHECK(second ==
        "2026-11-27T10:00:00.000Z,VerifyMitigation,S:LogLevel=Error;S:EventId=1008;S:Message="
        "Rejected");
  CHECK_FALSE(std::getline(in, extra));
}
