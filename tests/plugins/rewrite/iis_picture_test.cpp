// Issue 11, SPEC 10 "the whole IIS picture" and "prerequisites", on the real
// Exchange 2019 applicationHost.config and web.config files: a rule under
// <location path="…"> is seen and never copied; an inherited one is not
// shadowed by a second; a host without the URL Rewrite module gets nothing.
#include <catch2/catch.hpp>

#include "tests/plugins/rewrite/rewrite_test_text.hpp"
#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/plugins/support/real_iis_tree.hpp"

using namespace em::test;

namespace {

const std::string m1_name = "EEMS M1.1 PowerShell - inbound";

// The end of applicationHost.config's <location path="Default Web Site">.
const std::string site_location_end =
    "            <urlCompression doDynamicCompression=\"false\" />\n"
    "        </system.webServer>\n"
    "    </location>\n"
    "    <location path=\"Exchange Back End/PowerShell\">";

// A <rewrite><rules> block at `indent` (4 spaces a level) holding `rule`.
std::string rules_block(const std::string& indent, const std::string& rule) {
  return indent + "<rewrite>\n" + indent + "    <rules>\n" + indent + "        " + rule + "\n" +
         indent + "    </rules>\n" + indent + "</rewrite>\n";
}

const std::string m1_one_line =
    "<rule name=\"EEMS M1.1 PowerShell - inbound\" stopProcessing=\"true\"><match url=\".*\" />"
    "<conditions><add input=\"{UrlDecode:{REQUEST_URI}}\" "
    "pattern=\"(?=.*autodiscover)(?=.*powershell)\" /></conditions>"
    "<action type=\"AbortRequest\" /></rule>";

const std::string other_m1 =
    "<rule name=\"EEMS M1.1 PowerShell - inbound\" stopProcessing=\"true\"><match url=\".*\" />"
    "<action type=\"CustomResponse\" statusCode=\"403\" /></rule>";

struct picture_fixture {
  real_iis_tree tree;

  emservice::action m1(const std::string& scope, const std::string& target) const {
    return make_action("M1.1", "UrlRewrite", scope, target, m1_rule());
  }
  // applicationHost.config with `rule` in <location path="Default Web Site">.
  std::string with_site_location_rule(const std::string& rule) const {
    const auto file = tree.application_host();
    std::string text =
        inserted_before(read_text(file), site_location_end, rules_block("            ", rule));
    write_text(file, text);
    return text;
  }
};

}  // namespace

TEST_CASE_METHOD(picture_fixture,
                 "issue_11_a_rule_under_location_path_is_seen_by_check_and_never_duplicated") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  with_site_location_rule(m1_one_line);
  const auto before = tree.snapshot();
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");

  SECTION("the site: in effect from applicationHost.config, nothing written, left on rollback") {
    auto a = m1("Site", "Default Web Site");
    auto check = rewrite.check(a);
    CHECK(check.state == emservice::check_state::in_effect);
    CHECK_THAT(check.message, Catch::Contains(tree.application_host().string() +
                                              " (<location path=\"Default Web Site\"> "
                                              "system.webServer/rewrite/rules)"));
    REQUIRE(rewrite.apply(a).ok);
    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("left in place"));
    CHECK(tree.snapshot() == before);
  }
  SECTION("an application below it inherits the rule: in effect too, and no copy") {
    auto a = m1("VDir", "Default Web Site/owa");
    CHECK(rewrite.check(a).state == emservice::check_state::in_effect);
    REQUIRE(rewrite.apply(a).ok);
    CHECK(tree.snapshot() == before);
  }
  SECTION("a copy in the site's web.config as well: IIS would refuse it, apply writes nothing") {
    const auto file = tree.site_root_config();
    const std::string doubled = inserted_before(
        read_text(file), "</configuration>",
        "  <system.webServer>\n" + rules_block("    ", m1_one_line) + "  </system.webServer>\n");
    write_text(file, doubled);
    auto a = m1("Site", "Default Web Site");
    auto check = rewrite.check(a);
    CHECK(check.state == emservice::check_state::not_in_effect);
    CHECK_THAT(check.message, Catch::Contains("more than once"));
    CHECK_THAT(check.message, Catch::Contains("500.19"));
    auto applied = rewrite.apply(a);
    CHECK_FALSE(applied.ok);
    CHECK_THAT(applied.message, Catch::Contains("several files IIS reads together"));
    CHECK(read_text(file) == doubled);
    CHECK(read_text(tree.application_host()) == before.at(tree.application_host()));
  }
}

TEST_CASE_METHOD(picture_fixture,
                 "issue_11_a_different_rule_under_location_path_is_replaced_there_not_copied") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  const std::string host_before = with_site_location_rule(other_m1);
  const auto before = tree.snapshot();
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");

  SECTION("the site: replaced where it stands, restored byte for byte") {
    auto a = m1("Site", "Default Web Site");
    CHECK(rewrite.check(a).state == emservice::check_state::not_in_effect);
    auto applied = rewrite.apply(a);
    INFO(applied.message);
    REQUIRE(applied.ok);
    CHECK_THAT(applied.message, Catch::Contains("<location path=\"Default Web Site\">"));
    CHECK(read_text(tree.site_root_config()) == before.at(tree.site_root_config()));
    CHECK(count(read_text(tree.application_host()), m1_name) == 1);
    CHECK(count(read_text(tree.application_host()), "AbortRequest") == 1);
    CHECK(rewrite.check(a).state == emservice::check_state::in_effect);
    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK(read_text(tree.application_host()) == host_before);
  }
  SECTION("an application below it: a second rule of that name would shadow it, so Failed") {
    auto a = m1("VDir", "Default Web Site/owa");
    CHECK(rewrite.check(a).state == emservice::check_state::not_in_effect);
    auto applied = rewrite.apply(a);
    CHECK_FALSE(applied.ok);
    CHECK_THAT(applied.message, Catch::Contains("is inherited by 'Default Web Site/owa' from " +
                                                tree.application_host().string()));
    CHECK_THAT(applied.message, Catch::Contains("nothing was written"));
    CHECK(tree.snapshot() == before);
  }
  SECTION("an application whose rules start with <clear/> does not inherit it") {
    const auto file = tree.front_end("ecp");
    const std::string cleared =
        inserted_before(read_text(file), "  </system.webServer>",
                        "    <rewrite>\n      <rules>\n        <clear />\n      </rules>\n"
                        "    </rewrite>\n");
    write_text(file, cleared);
    auto a = m1("VDir", "Default Web Site/ecp");
    REQUIRE(rewrite.apply(a).ok);
    // Right after the <clear/>, which would drop it were it above.
    CHECK(read_text(file) ==
          replaced_once(cleared, "<clear />\n", "<clear />\n" + m1_text("        ", "  ", "\n")));
    REQUIRE(rewrite.rollback(a).ok);
    CHECK(read_text(file) == cleared);
  }
}

TEST_CASE_METHOD(picture_fixture,
                 "issue_11_a_location_not_inherited_by_child_applications_stays_its_own") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  // The real Default Web Site web.config keeps its system.webServer in
  // <location inheritInChildApplications="false">: a rule there is the site's
  // own, and the applications below do not see it.
  const auto file = tree.site_root_config();
  const std::string with_rule =
      inserted_before(read_text(file), "    </system.webServer>\n    <system.web>",
                      "      <rewrite>\n        <rules>\n          " + other_m1 +
                          "\n        </rules>\n"
                          "      </rewrite>\n");
  write_text(file, with_rule);
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");

  auto owa = m1("VDir", "Default Web Site/owa");
  REQUIRE(rewrite.apply(owa).ok);
  CHECK(count(read_text(tree.front_end("owa")), m1_name) == 1);
  CHECK(read_text(file) == with_rule);

  auto site = m1("Site", "Default Web Site");
  site.id = "M1.2";  // another action of the document
  auto applied = rewrite.apply(site);
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK_THAT(applied.message, Catch::Contains("replaced rule"));
  CHECK(count(read_text(file), m1_name) == 1);
  CHECK(count(read_text(file), "<rewrite>") == 1);
  REQUIRE(rewrite.rollback(site).ok);
  CHECK(read_text(file) == with_rule);
}

TEST_CASE_METHOD(
    picture_fixture,
    "issue_11_without_the_url_rewrite_module_the_action_fails_and_nothing_is_written") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  const auto host_file = tree.application_host();
  const std::string full = read_text(host_file);
  const auto group_begin = full.find("            <sectionGroup name=\"rewrite\">");
  const std::string group_close = "            </sectionGroup>\n";
  const auto group_end = full.find(group_close, group_begin) + group_close.size();
  const std::string module_line =
      "            <add name=\"RewriteModule\" image=\"%SystemRoot%\\system32\\inetsrv\\"
      "rewrite.dll\" />\n";
  struct variant {
    std::string what, text;
  };
  const std::string no_group = std::string(full).erase(group_begin, group_end - group_begin);
  for (const auto& v : {
           variant{"neither (an Exchange 2013 CAS without it)",
                   replaced_once(no_group, module_line, "")},
           variant{"no section group", no_group},
           variant{"no RewriteModule", replaced_once(full, module_line, "")},
       }) {
    INFO(v.what);
    write_text(host_file, v.text);
    const auto before = tree.snapshot();
    plugin_harness plugins(plugins_with("rewrite"), tree.iis());
    auto& rewrite = plugins.applier("UrlRewrite");
    for (const auto& a :
         {m1("Site", "Default Web Site"), m1("VDir", "Default Web Site/owa"), m1("Server", "")}) {
      INFO(a.scope);
      auto check = rewrite.check(a);
      CHECK(check.state == emservice::check_state::error);
      CHECK_THAT(check.message, Catch::StartsWith("the IIS URL Rewrite module is not installed"));
      auto applied = rewrite.apply(a);
      CHECK_FALSE(applied.ok);
      CHECK_THAT(applied.message, Catch::StartsWith("the IIS URL Rewrite module is not installed"));
      CHECK_THAT(applied.message, Catch::Contains("500.19"));
    }
    CHECK(tree.snapshot() == before);
  }
}
