// The plugin loader on a real folder: the built ping.so, the good and broken
// fixtures built beside this test, and files made wrong at test time.

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include <catch2/catch.hpp>

#include "core/plugin/plugin_registry.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path fixture_dir = EM_PLUGIN_FIXTURE_DIR;

void install(const fs::path& from, const fs::path& to, fs::perms mode = fs::perms(0755)) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, mode);
}

void install_fixture(const std::string& kind, const fs::path& dir, const std::string& as = {}) {
  install(fixture_dir / (kind + ".so"), dir / (as.empty() ? kind + ".so" : as));
}

std::map<std::string, std::string> problems_by_file(const em::plugin_registry& r) {
  std::map<std::string, std::string> out;
  for (const auto& p : r.problems())
    out[p.file.filename().string()] = p.reason;
  return out;
}

emservice::action ping_action(const std::string& value = "DoNothing") {
  return {"PING1.1", "DoNothing", "", "", "Proves the pipeline", value};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the loader keeps good plugins and refuses each broken one with its reason") {
  em::test::temp_dir dir("emplug");
  const fs::path d = dir.path();
  install(em::test::plugin_dir() / "ping.so", d / "ping.so");
  for (const char* kind :
       {"good", "no_entry", "null_descriptor", "abi_major", "abi_minor", "small_descriptor",
        "bad_layout", "no_types", "create_fails", "create_throws"})
    install_fixture(kind, d);
  // Named to sort after ping.so, so it is the later one and is refused.
  install_fixture("dup_type", d, "zz_dup_type.so");
  install_fixture("dup_name", d, "zz_dup_name.so");
  em::test::write_text(d / "x.so", "this is not a shared library\n");
  fs::permissions(d / "x.so", fs::perms(0644));
  install_fixture("good", d, "group_writable.so");
  fs::permissions(d / "group_writable.so", fs::perms(0775));
  install_fixture("good", d, "other_writable.so");
  fs::permissions(d / "other_writable.so", fs::perms(0757));
  em::test::write_text(d / "README.txt", "not a plugin: ignored\n");
  // Half a library, as an interrupted copy leaves it: must be refused, not crash.
  {
    auto whole = em::test::read_text(em::test::plugin_dir() / "ping.so");
    em::test::write_text(d / "truncated.so", whole.substr(0, 6000));
    fs::permissions(d / "truncated.so", fs::perms(0755));
  }

  const bool root = ::geteuid() == 0;
  if (root) {
    install_fixture("good", d, "not_root.so");
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody);
    REQUIRE(::chown((d / "not_root.so").c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
  } else {
    WARN("not running as root: the 'owned by another user' case is skipped");
  }

  em::plugins_section plugins;
  plugins.tables["good"] = {{"color", {R"(["blue", "green"])", 2, 9}}, {"retries", {"4", 3, 11}}};
  em::iis_section iis;
  iis.application_host = "/srv/iis/config/applicationHost.config";
  iis.variables["SystemDrive"] = "/srv/iis/C:";

  const auto registry = em::plugin_registry::load_directory(d, plugins, iis);

  SECTION("ping and the good fixture load, in file name order") {
    REQUIRE(registry.plugins().size() == 2);
    CHECK(registry.plugins()[0].name == "good");
    CHECK(registry.plugins()[0].file == d / "good.so");
    CHECK(registry.plugins()[0].action_types == std::vector<std::string>{"goodAction"});
    CHECK(registry.plugins()[1].name == "ping");
    CHECK(registry.plugins()[1].action_types == std::vector<std::string>{"DoNothing"});
  }

  SECTION("each refusal names its file and its cause") {
    auto p = problems_by_file(registry);
    for (const auto& problem : registry.problems()) {
      CHECK(problem.file.parent_path() == d);
      CHECK_FALSE(problem.reason.empty());
      CHECK_FALSE(contains(problem.reason, "\n"));
    }
    CHECK(p.size() == (root ? 16u : 15u));
    CHECK(contains(p["x.so"], "not a loadable library: "));
    CHECK(contains(p["truncated.so"], "not a loadable library: truncated: "));
    CHECK(p["no_entry.so"] == "no entry point emservice_plugin_entry (not an EM Service plugin?)");
    CHECK(p["null_descriptor.so"] == "the entry point returned no descriptor");
    CHECK(p["abi_major.so"] == "ABI version 99.0 is not supported (this emsd supports 2.0)");
    CHECK(p["abi_minor.so"] == "ABI version 2.1 is not supported (this emsd supports 2.0)");
    CHECK(contains(p["small_descriptor.so"], "descriptor size 12 is smaller than "));
    CHECK(p["bad_layout.so"] ==
          "built with another C++ ABI: std::string is 8 bytes (alignment " +
              std::to_string(alignof(std::string)) + ") in the plugin but " +
              std::to_string(sizeof(std::string)) + " bytes (alignment " +
              std::to_string(alignof(std::string)) +
              ") in this emsd (build it with the same compiler and standard library)");
    CHECK(p["no_types.so"] == "plugin 'no_types' declares no action types");
    CHECK(p["create_fails.so"] ==
          "plugin 'create_fails' could not start: setting 'endpoint' is missing from "
          "[plugins.create_fails]");
    CHECK(p["create_throws.so"] ==
          "plugin 'create_throws' could not start: cannot reach the backend");
    CHECK(p["zz_dup_type.so"] ==
          "action type 'DoNothing' is already handled by plugin 'ping' (ping.so)");
    CHECK(p["zz_dup_name.so"] == "plugin name 'ping' is already used by ping.so");
    CHECK(p["group_writable.so"] ==
          "writable by group or others (mode 0775); make it 0644 or stricter");
    CHECK(p["other_writable.so"] ==
          "writable by group or others (mode 0757); make it 0644 or stricter");
    if (root) CHECK(contains(p["not_root.so"], "owned by uid "));
    if (root) CHECK(contains(p["not_root.so"], "; a plugin must be owned by root"));
    CHECK(p.count("README.txt") == 0);
  }

  SECTION("the real DoNothing works through the registry") {
    auto* ping = registry.find("DoNothing");
    REQUIRE(ping);
    CHECK(ping->validate(ping_action()).ok);
    CHECK(ping->validate(ping_action("  DoNothing\n")).ok);
    CHECK_FALSE(ping->validate(ping_action("<AppPool name=\"x\"/>")).ok);
    CHECK(ping->check(ping_action()).state == emservice::check_state::in_effect);
    CHECK(ping->apply(ping_action()).ok);
    CHECK(ping->rollback(ping_action()).ok);
  }

  SECTION("the good fixture gets its own settings and the iis table") {
    auto* good = registry.find("goodAction");
    REQUIRE(good);
    emservice::action a{"G1.1", "goodAction", "", "", "", "<x/>"};
    CHECK(good->check(a).state == emservice::check_state::not_in_effect);
    auto applied = good->apply(a);
    CHECK(applied.ok);
    CHECK(applied.message ==
          "plugin=good settings{color=blue,green; pause=5000ms (default); retries=4; "
          "verbose=false (default)} "
          "iis{application_host=/srv/iis/config/applicationHost.config; backups=5; "
          "variables.SystemDrive=/srv/iis/C:}");
    CHECK(good->check(a).state == emservice::check_state::in_effect);
  }

  SECTION("refused plugins' types are not found") {
    for (const char* type : {"no_entryAction", "abi_majorAction", "abi_minorAction",
                             "create_failsAction", "dup_nameAction", "OtherAction"})
      CHECK(registry.find(type) == nullptr);
  }
}

TEST_CASE("a missing plugin directory is a problem, not an exception") {
  em::test::temp_dir dir("emplug");
  const auto missing = dir / "no-such-folder";
  const auto registry = em::plugin_registry::load_directory(missing, {}, {});
  CHECK(registry.plugins().empty());
  REQUIRE(registry.problems().size() == 1);
  CHECK(registry.problems()[0].file == missing);
  CHECK(registry.problems()[0].reason == "the plugin directory does not exist");
  CHECK(registry.find("DoNothing") == nullptr);
}

TEST_CASE("an empty plugin directory loads nothing and reports nothing") {
  em::test::temp_dir dir("emplug");
  const auto registry = em::plugin_registry::load_directory(dir.path(), {}, {});
  CHECK(registry.plugins().empty());
  CHECK(registry.problems().empty());
}

TEST_CASE("appliers are destroyed by their plugin before the library is unloaded") {
  em::test::temp_dir dir("emplug");
  install_fixture("good", dir.path());
  const auto marker = dir / "marker.txt";
  em::plugins_section plugins;
  plugins.tables["good"] = {{"marker", {"'" + marker.string() + "'", 1, 10}}};
  {
    auto registry = em::plugin_registry::load_directory(dir.path(), plugins, {});
    REQUIRE(registry.find("goodAction"));
    // Moving the registry must not destroy anything.
    em::plugin_registry moved = std::move(registry);
    CHECK(moved.find("goodAction"));
    CHECK(em::test::read_text(marker) == "created\n");
  }
  const auto trace = em::test::read_text(marker);
  INFO(trace);
  // The fixture has nothing that pins it in memory, so dlclose unloads it
  // (running its destructor function): after destroy(), never before.
  CHECK(trace == "created\ndestroyed\nunloaded\n");
}

TEST_CASE("the ping plugin refuses settings it does not know") {
  em::test::temp_dir dir("emplug");
  install(em::test::plugin_dir() / "ping.so", dir / "ping.so");
  em::plugins_section plugins;
  plugins.tables["ping"] = {{"verbose", {"true", 7, 11}}};
  const auto registry = em::plugin_registry::load_directory(dir.path(), plugins, {});
  CHECK(registry.find("DoNothing") == nullptr);
  REQUIRE(registry.problems().size() == 1);
  CHECK(registry.problems()[0].reason ==
        "7:11: plugins.ping.verbose: unknown key (plugin 'ping' takes no settings)");
}
