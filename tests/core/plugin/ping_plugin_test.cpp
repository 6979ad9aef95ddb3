// The built-in ping plugin (DoNothing), loaded from the built ping.so the way
// emsd loads it.

#include <catch2/catch.hpp>

#include "core/plugin/plugin_registry.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

// Holds the registry (and so the library) for as long as the applier is used.
struct loaded_ping {
  em::test::temp_dir dir{"emping"};
  em::plugin_registry registry;
  emservice::applier* ping = nullptr;

  loaded_ping() {
    fs::copy_file(em::test::plugin_dir() / "ping.so", dir / "ping.so");
    fs::permissions(dir / "ping.so", fs::perms(0755));
    registry = em::plugin_registry::load_directory(dir.path(), {}, {});
    ping = registry.find("DoNothing");
  }
};

emservice::action do_nothing(const std::string& value) {
  return {"PING1.1", "DoNothing", "", "", "Proves the pipeline", value};
}

}  // namespace

TEST_CASE("ping declares DoNothing and nothing else") {
  loaded_ping p;
  REQUIRE(p.registry.problems().empty());
  REQUIRE(p.registry.plugins().size() == 1);
  CHECK(p.registry.plugins()[0].name == "ping");
  CHECK(p.registry.plugins()[0].action_types == std::vector<std::string>{"DoNothing"});
  CHECK(p.ping);
}

TEST_CASE("ping validates a Value of DoNothing, whitespace around it allowed") {
  loaded_ping p;
  REQUIRE(p.ping);
  CHECK(p.ping->validate(do_nothing("DoNothing")).ok);
  CHECK(p.ping->validate(do_nothing("\n    DoNothing\n  ")).ok);
}

TEST_CASE("ping refuses any other Value and says what it got") {
  loaded_ping p;
  REQUIRE(p.ping);
  auto empty = p.ping->validate(do_nothing(""));
  CHECK_FALSE(empty.ok);
  CHECK(empty.message == "a DoNothing action's Value must be the text DoNothing, got ''");
  auto other = p.ping->validate(do_nothing("DoSomething"));
  CHECK_FALSE(other.ok);
  CHECK(other.message ==
        "a DoNothing action's Value must be the text DoNothing, got 'DoSomething'");
  CHECK_FALSE(p.ping->validate(do_nothing("donothing")).ok);
  CHECK_FALSE(p.ping->validate(do_nothing("Do Nothing")).ok);
  CHECK_FALSE(p.ping->validate(do_nothing("<Value>DoNothing</Value>")).ok);
  auto long_value = p.ping->validate(do_nothing(std::string(500, 'x')));
  CHECK_FALSE(long_value.ok);
  CHECK(long_value.message.size() < 150);
}

TEST_CASE("ping is in effect once valid, and reports an error for a bad Value") {
  loaded_ping p;
  REQUIRE(p.ping);
  auto c = p.ping->check(do_nothing("DoNothing"));
  CHECK(c.state == emservice::check_state::in_effect);
  CHECK_FALSE(c.message.empty());
  auto bad = p.ping->check(do_nothing("Reboot"));
  CHECK(bad.state == emservice::check_state::error);
  CHECK(bad.message.find("'Reboot'") != std::string::npos);
}

TEST_CASE("ping applies and rolls back with nothing to change, idempotently") {
  loaded_ping p;
  REQUIRE(p.ping);
  for (int i = 0; i < 2; ++i) {
    auto a = p.ping->apply(do_nothing("DoNothing"));
    CHECK(a.ok);
    CHECK(a.message == "DoNothing: nothing to change on this host");
    CHECK(p.ping->check(do_nothing("DoNothing")).state == emservice::check_state::in_effect);
  }
  auto r = p.ping->rollback(do_nothing("DoNothing"));
  CHECK(r.ok);
  CHECK(r.message == "DoNothing: nothing to undo");
  CHECK_FALSE(p.ping->apply(do_nothing("Reboot")).ok);
}
