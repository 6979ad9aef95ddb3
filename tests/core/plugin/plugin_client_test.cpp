// The one plugin client with the real worker process and real plugins from
// disk: calls, log lines, and plugins that crash or hang the worker while it
// loads or during a call (issue 16).
#include <catch2/catch.hpp>

#include <signal.h>

#include "core/plugin/worker/plugin_client.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct client_fixture {
  em::test::temp_dir dir{"emclient"};
  fs::path plugins = dir / "plugins";
  std::vector<std::string> lines;

  client_fixture() {
    fs::create_directories(plugins);
    em::open_sqlite_store(dir / "state.db")->register_server("EX01", "Exchange2019", "15.2.1118.7");
  }

  void install(const std::string& fixture, const std::string& as = {}) {
    auto to = plugins / (as.empty() ? fixture + ".so" : as);
    fs::copy_file(fs::path(EM_PLUGIN_FIXTURE_DIR) / (fixture + ".so"), to,
                  fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms(0755));
  }

  em::worker::setup setup(std::chrono::milliseconds call_timeout = 5s) {
    em::worker::setup s;
    s.config_file = (dir / "emsd.conf").string();
    s.server_name = "EX01";
    s.store_path = dir / "state.db";
    s.plugins.dir = plugins;
    s.plugins.call_timeout = call_timeout;
    return s;
  }

  std::unique_ptr<em::plugin_client> client(std::chrono::milliseconds call_timeout = 5s) {
    auto c = std::make_unique<em::plugin_client>(
        setup(call_timeout), EM_PLUGIN_WORKER,
        [this](const std::string& plugin, emservice::log_level, const std::string& text) {
          lines.push_back(plugin + ": " + text);
        });
    c->start();
    return c;
  }
};

emservice::action action_of(const std::string& type, const std::string& id = "G1.1") {
  return {id, type, "Server", "", "", "<x/>"};
}

const em::plugin_problem* problem_of(const em::worker::hello& h, const std::string& file) {
  for (const auto& p : h.problems)
    if (p.file.filename() == file) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE_METHOD(client_fixture, "calls run in the worker, values in the store, lines come back") {
  install("good");
  auto c = client();
  REQUIRE(c->loaded().plugins.size() == 1);
  CHECK(c->loaded().problems.empty());
  CHECK(c->pid() > 0);
  auto a = action_of("goodAction");
  CHECK(c->call(em::call_type::validate, a).ok);
  auto before = c->call(em::call_type::check, a);
  CHECK(before.ok);
  CHECK(before.state == emservice::check_state::not_in_effect);
  CHECK(c->call(em::call_type::apply, a).ok);
  CHECK(c->call(em::call_type::check, a).state == emservice::check_state::in_effect);
  CHECK(lines == std::vector<std::string>{"good: applied G1.1"});
  // The worker wrote to the store by its path: another connection sees it.
  CHECK(em::open_sqlite_store(dir / "state.db")->get_plugin_value("EX01", "good", "applied.G1.1") ==
        "<x/>");
  auto other = c->call(em::call_type::apply, action_of("OtherAction"));
  CHECK_FALSE(other.ok);
  CHECK(other.message == "no plugin handles action type 'OtherAction'");
}

TEST_CASE_METHOD(client_fixture, "issue_16_crash_at_load: the plugin is refused, the rest load") {
  install("good");
  install("create_crashes");
  auto c = client();
  const auto& loaded = c->loaded();
  REQUIRE(loaded.plugins.size() == 1);
  CHECK(loaded.plugins[0].name == "good");
  const auto* p = problem_of(loaded, "create_crashes.so");
  REQUIRE(p);
  CHECK(p->reason == "the plugin worker crashed with signal 11 (SIGSEGV) while loading it");
  CHECK(p->name == "create_crashes");
  auto r = c->call(em::call_type::apply, action_of("create_crashesAction", "C1.1"));
  CHECK_FALSE(r.ok);
  CHECK(r.message ==
        "plugin 'create_crashes' (create_crashes.so), which handles create_crashesAction, was "
        "refused: the plugin worker crashed with signal 11 (SIGSEGV) while loading it");
  CHECK(c->call(em::call_type::apply, action_of("goodAction")).ok);
}

TEST_CASE_METHOD(client_fixture, "a plugin that hangs while loading is stopped and refused") {
  install("create_hangs");
  install("good");
  auto started = std::chrono::steady_clock::now();
  auto c = client(1s);
  CHECK(std::chrono::steady_clock::now() - started < 30s);
  const auto* p = problem_of(c->loaded(), "create_hangs.so");
  REQUIRE(p);
  CHECK(p->reason == "the plugin worker did not finish loading it within 1s and was stopped");
  CHECK(c->call(em::call_type::apply, action_of("goodAction")).ok);
}

TEST_CASE_METHOD(client_fixture,
                 "a crash during a call fails that call, and the next gets a fresh worker") {
  install("apply_crashes");
  install("good");
  auto c = client();
  const pid_t first = c->pid();
  auto r = c->call(em::call_type::apply, action_of("apply_crashesAction", "A1.1"));
  CHECK_FALSE(r.ok);
  CHECK(r.message == "the plugin worker crashed with signal 11 (SIGSEGV) during apply of A1.1");
  CHECK(::kill(first, 0) != 0);  // reaped, not left behind
  CHECK(c->call(em::call_type::apply, action_of("goodAction")).ok);
  CHECK(c->pid() != first);

  SECTION("a worker started again must load what the first loaded") {
    // A plugin file replaced behind the service's back (an upgrade, say).
    REQUIRE(c->call(em::call_type::apply, action_of("apply_crashesAction", "A1.1")).message ==
            "the plugin worker crashed with signal 11 (SIGSEGV) during apply of A1.1");
    install("good", "good.so");  // same content, a new file
    auto after = c->call(em::call_type::check, action_of("goodAction"));
    CHECK_FALSE(after.ok);
    CHECK(after.message ==
          "the plugin worker, started again, did not load what it loaded at first: plugin 'good' "
          "(good.so) was replaced on disk; restart the service to use the plugins as they are "
          "now");
  }
}

TEST_CASE_METHOD(client_fixture, "a worker that cannot run at all is an error of start()") {
  em::plugin_client c(setup(), dir / "no-such-worker", nullptr);
  CHECK_THROWS_WITH(c.start(), Catch::Contains("no-such-worker"));
  CHECK(c.call(em::call_type::apply, action_of("goodAction")).message ==
        "the plugins were not started");
}
