// Issue 11, SPEC 10 "ownership", on the real Exchange 2019 files of
// ../shared/conformance/iis: rollback undoes what apply did and nothing else.
// A rule that was there before is left; a same-named rule apply replaced comes
// back byte for byte; everything but the intended change stays byte for byte.
#include <catch2/catch.hpp>

#include "tests/plugins/rewrite/rewrite_test_text.hpp"
#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/plugins/support/real_iis_tree.hpp"

using namespace em::test;

namespace {

const std::string m1_name = "EEMS M1.1 PowerShell - inbound";

struct real_fixture {
  real_iis_tree tree;

  emservice::action m1(const std::string& scope, const std::string& target) const {
    return make_action("M1.1", "UrlRewrite", scope, target, m1_rule());
  }
};

// The M1 rule as the original Microsoft service writes it, attributes in
// another order and another layout: the same rule to IIS.
const std::string ms_written =
    "    <rewrite>\n"
    "      <rules>\n"
    "        <rule stopProcessing=\"true\" name=\"EEMS M1.1 PowerShell - inbound\">\n"
    "          <match url=\".*\"/>\n"
    "          <conditions>\n"
    "            <add pattern=\"(?=.*autodiscover)(?=.*powershell)\" "
    "input=\"{UrlDecode:{REQUEST_URI}}\"/>\n"
    "          </conditions>\n"
    "          <action type=\"AbortRequest\"/>\n"
    "        </rule>\n"
    "      </rules>\n"
    "    </rewrite>\n";

// An administrator's rule of the same name: other pattern, single quotes,
// a tab, a comment inside.
const std::string admin_rule =
    "<rule name='EEMS M1.1 PowerShell - inbound' stopProcessing='false'>\n"
    "\t  <!-- ours: log only -->\n"
    "          <match url='^powershell' ignoreCase='true' />\n"
    "          <action type='None'/>\n"
    "        </rule>";

}  // namespace

TEST_CASE_METHOD(real_fixture, "issue_11_a_rule_that_was_there_identical_survives_rollback") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  const auto file = tree.front_end("PowerShell");
  write_text(file, inserted_before(read_text(file), "  </system.webServer>", ms_written));
  const auto before = tree.snapshot();

  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");
  auto a = m1("VDir", "Default Web Site/PowerShell");
  auto check = rewrite.check(a);
  CHECK(check.state == emservice::check_state::in_effect);
  CHECK_THAT(check.message, Catch::Contains("is in place in " + file.string()));
  // emsd would not call apply; called anyway, it writes nothing.
  auto applied = rewrite.apply(a);
  REQUIRE(applied.ok);
  CHECK_THAT(applied.message, Catch::Contains("already in place"));

  auto undone = rewrite.rollback(a);
  INFO(undone.message);
  REQUIRE(undone.ok);
  CHECK_THAT(undone.message, Catch::Contains("was not written by EM Service"));
  CHECK_THAT(undone.message, Catch::Contains("left in place"));
  CHECK(tree.snapshot() == before);
  CHECK(backups_of(file) == 0);
  CHECK(rewrite.check(a).state == emservice::check_state::in_effect);
}

TEST_CASE_METHOD(real_fixture, "issue_11_a_replaced_same_named_rule_comes_back_byte_for_byte") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");

  SECTION("in the front-end ecp web.config's own section") {
    const auto file = tree.front_end("ecp");
    const std::string with_admin =
        inserted_before(read_text(file), "  </system.webServer>",
                        "    <rewrite>\n      <rules>\n        " + admin_rule +
                            "\n      </rules>\n    </rewrite>\n");
    write_text(file, with_admin);
    auto a = m1("VDir", "Default Web Site/ecp");
    auto check = rewrite.check(a);
    CHECK(check.state == emservice::check_state::not_in_effect);
    CHECK_THAT(check.message, Catch::Contains("differs from the document's"));

    auto applied = rewrite.apply(a);
    INFO(applied.message);
    REQUIRE(applied.ok);
    CHECK_THAT(applied.message, Catch::Contains("replaced rule '" + m1_name + "'"));
    // Replaced where it stood, in the file's indentation; nothing else moved.
    const std::string m1_here = m1_text("        ", "  ", "\n");
    CHECK(read_text(file) ==
          replaced_once(with_admin, admin_rule, m1_here.substr(8, m1_here.size() - 9)));
    CHECK(rewrite.check(a).state == emservice::check_state::in_effect);

    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("before the mitigation replaced it, byte for byte"));
    CHECK(read_text(file) == with_admin);
  }
  SECTION("in a <location> without a path (front-end owa), and after a new revision") {
    const auto file = tree.front_end("owa");
    const std::string anchor = "    </system.webServer>\n    <system.web>";
    const std::string with_admin =
        inserted_before(read_text(file), anchor,
                        "      <rewrite>\n        <rules>\n          " + admin_rule +
                            "\n        </rules>\n      </rewrite>\n");
    write_text(file, with_admin);
    auto a = m1("VDir", "Default Web Site/owa");
    REQUIRE(rewrite.apply(a).ok);
    CHECK(count(read_text(file), m1_name) == 1);
    CHECK(count(read_text(file), "<rewrite>") == 1);  // no second section beside it

    // The next document changes the rule: still the administrator's comes back.
    auto v2 = a;
    v2.value_xml = replaced_once(v2.value_xml, "(?=.*powershell)", "(?=.*powershell)(?=.*@)");
    CHECK(rewrite.check(v2).state == emservice::check_state::not_in_effect);
    REQUIRE(rewrite.apply(v2).ok);
    CHECK(count(read_text(file), "(?=.*@)") == 1);
    auto undone = rewrite.rollback(v2);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK(read_text(file) == with_admin);
  }
  SECTION("changed again by the administrator after apply: left as it is") {
    const auto file = tree.front_end("ecp");
    write_text(file, inserted_before(read_text(file), "  </system.webServer>",
                                     "    <rewrite>\n      <rules>\n        " + admin_rule +
                                         "\n      </rules>\n    </rewrite>\n"));
    auto a = m1("VDir", "Default Web Site/ecp");
    REQUIRE(rewrite.apply(a).ok);
    const std::string edited = replaced_once(read_text(file), "pattern=\"(?=.*autodiscover)",
                                             "pattern=\"(?=.*autodiscover)(?=.*admin)");
    write_text(file, edited);
    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("has been changed since the mitigation"));
    CHECK(read_text(file) == edited);
  }
}

TEST_CASE_METHOD(real_fixture,
                 "issue_11_on_every_real_file_only_the_rule_is_added_and_rollback_restores_it") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  struct target {
    std::string scope, name;
    std::filesystem::path file;
  };
  for (const auto& t : {
           target{"Site", "Default Web Site", tree.site_root_config()},
           target{"VDir", "Default Web Site/PowerShell", tree.front_end("PowerShell")},
           target{"VDir", "Default Web Site/owa", tree.front_end("owa")},
           target{"VDir", "Default Web Site/ecp", tree.front_end("ecp")},
           target{"VDir", "Exchange Back End/ecp", tree.back_end("ecp")},
           target{"Server", "", tree.application_host()},
       }) {
    INFO(t.scope << " " << t.name);
    const auto before = tree.snapshot();
    plugin_harness plugins(plugins_with("rewrite"), tree.iis());
    auto& rewrite = plugins.applier("UrlRewrite");
    auto a = m1(t.scope, t.name);
    REQUIRE(rewrite.check(a).state == emservice::check_state::not_in_effect);
    auto applied = rewrite.apply(a);
    INFO(applied.message);
    REQUIRE(applied.ok);
    CHECK(rewrite.check(a).state == emservice::check_state::in_effect);

    // One run of bytes added to that one file; every other file as it was.
    auto after = tree.snapshot();
    std::string added;
    CHECK(one_insertion(before.at(t.file), after.at(t.file), added));
    CHECK(count(added, m1_name) == 1);
    for (const auto& [path, bytes] : before)
      if (path != t.file) CHECK(after.at(path) == bytes);

    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("removed rule '" + m1_name + "'"));
    auto restored = tree.snapshot();
    for (const auto& [path, bytes] : before)
      CHECK(restored.at(path) == bytes);
    // Only the two backups are new.
    CHECK(restored.size() == before.size() + 2);
  }
}
