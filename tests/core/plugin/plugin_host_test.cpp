// A real plugin (the "good" fixture) keeps its values in a real store and logs
// through the host, with its name.
#include <sys/stat.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "core/plugin/plugin_registry.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

TEST_CASE("a plugin's values go to the store under its server and name, its lines to the log") {
  em::test::temp_dir dir("emhost");
  fs::copy_file(fs::path(EM_PLUGIN_FIXTURE_DIR) / "good.so", dir / "good.so");
  std::shared_ptr<em::store> store = em::open_sqlite_store(dir / "state.db");
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  std::vector<std::string> lines;
  em::plugin_host host(
      store, "EX01",
      [&](const std::string& plugin, emservice::log_level level, const std::string& text) {
        lines.push_back(plugin + "/" + std::to_string(static_cast<int>(level)) + "/" + text);
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
  CHECK(store->get_plugin_value("EX01", "good", "applied.G1.1") == "<x/>");
  CHECK(lines == std::vector<std::string>{"good/1/applied G1.1"});

  // A new registry (emsd restarted) finds what the plugin kept.
  auto registry = em::plugin_registry::load_directory(dir.path(), {}, {}, &host);
  emservice::action a{"G1.1", "goodAction", "Server", "", "", "<x/>"};
  CHECK(registry.find("goodAction")->check(a).state == emservice::check_state::in_effect);
  CHECK(registry.find("goodAction")->rollback(a).ok);
  CHECK_FALSE(store->get_plugin_value("EX01", "good", "applied.G1.1"));
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

TEST_CASE("the host's file and command helpers for plugins") {
  em::test::temp_dir dir("emhost");
  em::plugin_host host(nullptr, "EX01", nullptr);
  auto api = host.make_api("p");
  auto file = (dir / "web.config").string();
  api->write_file_atomic(file, "<configuration/>\n");
  CHECK(api->read_file(file) == "<configuration/>\n");
  CHECK_THROWS_WITH(api->read_file((dir / "none").string()), Catch::Contains("none"));
  CHECK_THROWS_AS(api->write_file_atomic((dir / "no" / "such" / "f").string(), "x"),
                  std::runtime_error);
  CHECK(api->read_file(file) == "<configuration/>\n");

  auto ok = api->run_command({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"},
                             std::chrono::seconds(10));
  CHECK(ok.exit_code == 3);
  CHECK_FALSE(ok.timed_out);
  CHECK(ok.out == "out\n");
  CHECK(ok.err == "err\n");
  auto started = std::chrono::steady_clock::now();
  auto slow = api->run_command({"/bin/sleep", "30"}, std::chrono::milliseconds(300));
  CHECK(slow.timed_out);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK_THROWS_WITH(api->run_command({"/no/such/program"}, std::chrono::seconds(1)),
                    Catch::Contains("/no/such/program"));
}

TEST_CASE("the host runs a plugin's commands by absolute path and reports a signal apart") {
  em::plugin_host host(nullptr, "EX01", nullptr);
  auto api = host.make_api("p");
  CHECK_THROWS_WITH(api->run_command({"sh", "-c", "true"}, std::chrono::seconds(5)),
                    Catch::Contains("absolute program path"));
  CHECK_THROWS_AS(api->run_command({}, std::chrono::seconds(5)), std::runtime_error);

  auto killed = api->run_command({"/bin/sh", "-c", "kill -TERM $$"}, std::chrono::seconds(5));
  CHECK(killed.signal == 15);
  CHECK(killed.exit_code == 128 + 15);
  CHECK_FALSE(killed.timed_out);
  auto exited = api->run_command({"/bin/sh", "-c", "exit 143"}, std::chrono::seconds(5));
  CHECK(exited.signal == 0);
  CHECK(exited.exit_code == 143);

  auto slow = api->run_command({"/bin/sleep", "30"}, std::chrono::milliseconds(200));
  CHECK(slow.timed_out);
  CHECK(slow.signal == 9);
}

TEST_CASE("the host's writes keep a file's mode, its reads refuse a huge file") {
  em::test::temp_dir dir("emhost");
  std::vector<std::string> lines;
  em::plugin_host host(nullptr, "EX01",
                       [&](const std::string& plugin, emservice::log_level,
                           const std::string& text) { lines.push_back(plugin + ": " + text); });
  auto api = host.make_api("p");
  const auto file = dir / "applicationHost.config";
  em::test::write_text(file, "<configuration/>\n");
  REQUIRE(::chmod(file.c_str(), 0600) == 0);
  api->write_file_atomic(file.string(), "<configuration></configuration>\n");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(lines.empty());  // no warning: the folder was synced

  const auto huge = dir / "huge";
  { std::ofstream out(huge); }
  fs::resize_file(huge, 64 * 1024 * 1024 + 1);  // sparse: nothing is written
  CHECK_THROWS_WITH(api->read_file(huge.string()), Catch::Contains("over the limit"));
}
