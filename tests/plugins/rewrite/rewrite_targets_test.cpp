// How the rewrite plugin finds a target's web.config through
// applicationHost.config, and how it says what is wrong when it cannot.
#include <catch2/catch.hpp>

#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;

namespace {

emservice::action rule_for(const std::string& scope, const std::string& target) {
  return make_action("M1.1", "UrlRewrite", scope, target, m1_rule());
}

}  // namespace

TEST_CASE("targets resolve through sites, applications and virtual directories") {
  iis_fixture tree;
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");

  SECTION("a virtual directory inside an application, on a C:\\ path") {
    auto a = rule_for("VDir", "Exchange Back End/owa/Calendar");
    REQUIRE(rewrite.apply(a).ok);
    CHECK(std::filesystem::exists(tree.back_end("owa/Calendar/web.config")));
    CHECK(read_text(tree.back_end("owa/web.config")).find("EEMS") == std::string::npos);
  }
  SECTION("names are compared as IIS does, without regard to case") {
    auto a = rule_for("VDir", "default web site/OWA/");
    REQUIRE(rewrite.apply(a).ok);
    CHECK(read_text(tree.front_end("owa") / "web.config").find("EEMS M1.1") != std::string::npos);
  }
  SECTION("the Back End site's root") {
    REQUIRE(rewrite.apply(rule_for("Site", "Exchange Back End")).ok);
    CHECK(read_text(tree.back_end("web.config")).find("EEMS M1.1") != std::string::npos);
  }
}

TEST_CASE("a target that cannot be resolved fails, naming what is missing, and writes nothing") {
  iis_fixture tree;
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");
  const std::string app_host = read_text(tree.application_host());

  struct bad {
    std::string scope, target, reason;
  };
  for (const auto& b : {
           bad{"Site", "Contoso Web Site", "site 'Contoso Web Site' is not in"},
           bad{"VDir", "Default Web Site/nothere",
               "'Default Web Site/nothere' is not an application or virtual directory"},
           bad{"VDir", "Exchange Back End/Broken",
               "uses %ExchangeDataPath%, which [iis] variables does not define"},
           bad{"VDir", "Default Web Site/Microsoft-Server-ActiveSync", "does not exist"},
           bad{"Site", "Default Web Site/owa", "scope Site needs a site name"},
           bad{"VDir", "Default Web Site", "scope VDir needs a target"},
           bad{"Server", "Default Web Site", "takes no target"},
           bad{"", "Default Web Site", "needs scope Server, Site or VDir"},
       }) {
    INFO(b.scope << " " << b.target);
    auto a = rule_for(b.scope, b.target);
    auto r = rewrite.apply(a);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains(b.reason));
    auto check = rewrite.check(a);
    CHECK(check.state == emservice::check_state::error);
  }
  CHECK(read_text(tree.application_host()) == app_host);
  CHECK_FALSE(std::filesystem::exists(tree.front_end("sync")));
}

TEST_CASE("without [iis] application_host the plugin loads but its actions fail clearly") {
  plugin_harness plugins(plugins_with("rewrite"), em::iis_section{});
  auto r = plugins.applier("UrlRewrite").apply(rule_for("Site", "Default Web Site"));
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("[iis] application_host is not configured"));
}

TEST_CASE("a drive that no variable maps is named") {
  iis_fixture tree;
  auto iis = tree.iis();
  iis.variables.erase("C:");
  plugin_harness plugins(plugins_with("rewrite"), iis);
  auto r = plugins.applier("UrlRewrite").apply(rule_for("Site", "Exchange Back End"));
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("is on drive C:, which no [iis] variable maps"));
}

TEST_CASE("a malformed web.config is refused, and left as it is") {
  iis_fixture tree;
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  const auto file = tree.site_root_config();
  write_text(file, "<configuration><system.webServer></configuration>");
  auto r = plugins.applier("UrlRewrite").apply(rule_for("Site", "Default Web Site"));
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("is not well-formed XML (line 1)"));
  CHECK(read_text(file) == "<configuration><system.webServer></configuration>");
  CHECK(backups_of(file) == 0);
}

TEST_CASE("the rewrite plugin refuses settings it does not know") {
  plugin_harness plugins(plugins_with("rewrite", "backup = false\n"), em::iis_section{});
  CHECK(plugins.registry().find("UrlRewrite") == nullptr);
  CHECK(plugins.refusal("rewrite.so") ==
        "emsd.conf:5:10: plugins.rewrite.backup: unknown key (plugin 'rewrite' takes no "
        "settings)");
}
