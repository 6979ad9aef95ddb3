// A real plugin (the "good" fixture) keeps its values in a real store and logs
// through the host, with its name.
#include <catch2/catch.hpp>

#include "core/plugin/plugin_registry.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

TEST_CASE("a plugin's values go to the store under its server and name; its lines to the log") {
  em::test::temp_dir dir("emhost");
  fs::copy_file(fs::path(EM_PLUGIN_FIXTURE_DIR) / "good.so", dir / "good.so");
  std::shared_ptr<em::store> state = em::open_sqlite_store(dir / "state.db");
  state->register_server("EX01", "Exchange2019", "15.2.1118.7");
  std::vector<std::string> lines;
  em::plugin_host host(state, "EX01",
                       [&](const std::string& plugin, emservice::log_level level,
                           const std::string& text) {
                         lines.push_back(plugin + "/" + std::to_string(static_cast<int>(level)) +
                                         "/" + text);
                       });
  {
    auto registry = em::plugin_registry::load_directory(dir.path(), {}, {}, &host);
    REQUIRE(registry.problems().empty());
    auto* applier = registry.find("goodAction");
    REQUIRE(applier);
    emservice::action a{"G1.1", "goodAction", "Server", "", "", "<x/>"};
    CHECK(applier->check(a).state == emservice::check_state::not_in_effect);
    CHECK(applier->apply(a).ok);
    CHECK(applier->check(a).state == emservice::check_state::in_effect);
  }
  CHECK(state->get_plugin_value("EX01", "good", "applied.G1.1") == "<x/>");
  CHECK(lines == std::vector<std::string>{"good/1/applied G1.1"});

  // A new registry (emsd restarted) finds what the plugin kept.
  auto registry = em::plugin_registry::load_directory(dir.path(), {}, {}, &host);
  emservice::action a{"G1.1", "goodAction", "Server", "", "", "<x/>"};
  CHECK(registry.find("goodAction")->check(a).state == emservice::check_state::in_effect);
  CHECK(registry.find("goodAction")->rollback(a).ok);
  CHECK_FALSE(state->get_plugin_value("EX01", "good", "applied.G1.1"));
}

TEST_CASE("without a host, plugins get values kept in memory only") {
  em::test::temp_dir dir("emhost");
  fs::copy_file(fs::path(EM_PLUGIN_FIXTURE_DIR) / "good.so", dir / "good.so");
  auto registry = em::plugin_registry::load_directory(dir.path(), {}, {});
  REQUIRE(registry.problems().empty());
  emservice::action a{"G1.1", "goodAction", "Server", "", "", "<x/>"};
  CHECK(registry.find("goodAction")->apply(a).ok);
  CHECK(registry.find("goodAction")->check(a).state == emservice::check_state::in_effect);
}
