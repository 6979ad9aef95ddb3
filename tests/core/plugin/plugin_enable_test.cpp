// [plugins] enable (SPEC 13): which of the plugins found a host loads, and
// two enabled plugins claiming one action type named as a start-up error.

#include <sys/stat.h>

#include <algorithm>

#include <catch2/catch.hpp>

#include "core/plugin/plugin_registry.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

// ping.so and a fixture that also claims DoNothing, named "dup_type".
void two_claimants(const fs::path& dir) {
  for (auto [from, to] : {std::pair{em::test::plugin_dir() / "ping.so", dir / "ping.so"},
                          {fs::path(EM_PLUGIN_FIXTURE_DIR) / "dup_type.so", dir / "zz_dup.so"}}) {
    fs::copy_file(from, to);
    fs::permissions(to, fs::perms(0755));
  }
}

bool has(const std::vector<em::plugin_info>& list, const std::string& name) {
  return std::any_of(list.begin(), list.end(),
                     [&](const em::plugin_info& p) { return p.name == name; });
}

}  // namespace

TEST_CASE("without enable, every plugin found loads and a shared type is a conflict naming both") {
  em::test::temp_dir dir("emenable");
  two_claimants(dir.path());
  const auto registry = em::plugin_registry::load_directory(dir.path(), {}, {});
  REQUIRE(registry.conflicts().size() == 1);
  CHECK(registry.conflicts()[0] ==
        "plugins 'ping' (ping.so) and 'dup_type' (zz_dup.so) both handle action type "
        "'DoNothing'; list the one this host uses in [plugins] enable");
  CHECK(registry.disabled().empty());
}

TEST_CASE("enable loads the plugins it lists and leaves the others unloaded") {
  em::test::temp_dir dir("emenable");
  two_claimants(dir.path());
  for (const char* chosen : {"ping", "dup_type"}) {
    em::plugins_section plugins;
    plugins.enable = std::vector<std::string>{chosen};
    const auto registry = em::plugin_registry::load_directory(dir.path(), plugins, {});
    INFO(chosen);
    CHECK(registry.conflicts().empty());
    CHECK(registry.problems().empty());
    REQUIRE(registry.plugins().size() == 1);
    CHECK(registry.plugins()[0].name == chosen);
    CHECK(registry.find("DoNothing") != nullptr);
    REQUIRE(registry.disabled().size() == 1);
    CHECK(registry.disabled()[0].name != chosen);
  }
}

TEST_CASE("a plugin listed in enable that no file provides is a problem") {
  em::test::temp_dir dir("emenable");
  two_claimants(dir.path());
  em::plugins_section plugins;
  plugins.enable = std::vector<std::string>{"ping", "nginx"};
  const auto registry = em::plugin_registry::load_directory(dir.path(), plugins, {});
  CHECK(has(registry.plugins(), "ping"));
  CHECK(has(registry.disabled(), "dup_type"));
  REQUIRE(registry.problems().size() == 1);
  CHECK(registry.problems()[0].file == dir.path());
  CHECK(registry.problems()[0].reason ==
        "plugin 'nginx' is listed in [plugins] enable but was not loaded");
}

TEST_CASE("an empty enable list loads nothing") {
  em::test::temp_dir dir("emenable");
  two_claimants(dir.path());
  em::plugins_section plugins;
  plugins.enable = std::vector<std::string>{};
  const auto registry = em::plugin_registry::load_directory(dir.path(), plugins, {});
  CHECK(registry.plugins().empty());
  CHECK(registry.disabled().size() == 2);
  CHECK(registry.conflicts().empty());
}
