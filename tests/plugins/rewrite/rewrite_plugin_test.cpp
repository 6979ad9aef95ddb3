// The rewrite plugin (rewrite.so, loaded by the real loader) on a copy of the
// Exchange-like IIS tree: rules go in once, exactly where they belong, and
// rollback gives back the file byte for byte.
#include <catch2/catch.hpp>

#include "tests/plugins/rewrite/rewrite_test_text.hpp"
#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;

namespace {

struct rewrite_fixture {
  iis_fixture tree;
  plugin_harness plugins{plugins_with("rewrite"), tree.iis()};
  emservice::applier& rewrite = plugins.applier("UrlRewrite");

  emservice::action m1(const std::string& scope = "Site",
                       const std::string& target = "Default Web Site") {
    return make_action("M1.1", "UrlRewrite", scope, target, m1_rule());
  }
  emservice::check_state state(const emservice::action& a) { return rewrite.check(a).state; }
};

}  // namespace

TEST_CASE_METHOD(rewrite_fixture,
                 "M1 goes into Default Web Site's web.config once and rolls back byte for byte") {
  const auto file = tree.site_root_config();
  const std::string original = read_text(file);
  auto a = m1();
  REQUIRE(rewrite.validate(a).ok);
  CHECK(state(a) == emservice::check_state::not_in_effect);

  auto applied = rewrite.apply(a);
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK_THAT(applied.message, Catch::Contains("adding <rewrite>"));
  CHECK(state(a) == emservice::check_state::in_effect);

  // The file had no rewrite section: one is added at the end of the site's
  // own system.webServer (not in the <location> elements), CRLF and four
  // spaces like the rest of the file. Nothing else changes.
  const std::string eol = "\r\n", u = "    ";
  const std::string block = u + u + "<rewrite>" + eol + u + u + u + "<rules>" + eol +
                            m1_text(u + u + u + u, u, eol) + u + u + u + "</rules>" + eol + u + u +
                            "</rewrite>" + eol;
  const std::string anchor = "    </system.webServer>\r\n    <location path=\"aspnet_client\">";
  std::string expected = original;
  expected.insert(expected.find(anchor), block);
  const std::string after_first = read_text(file);
  CHECK(after_first == expected);
  CHECK(backups_of(file) == 1);

  SECTION("applied twice: one rule, nothing written") {
    auto again = rewrite.apply(a);
    REQUIRE(again.ok);
    CHECK_THAT(again.message, Catch::Contains("already in place"));
    CHECK(read_text(file) == after_first);
    CHECK(count(read_text(file), "EEMS M1.1") == 1);
    CHECK(backups_of(file) == 1);
  }
  SECTION("deleted by hand, it comes back; rollback still restores the original") {
    std::string edited = after_first;
    const std::string rule = m1_text(u + u + u + u, u, eol);
    edited.erase(edited.find(rule), rule.size());
    write_text(file, edited);
    CHECK(state(a) == emservice::check_state::not_in_effect);
    REQUIRE(rewrite.apply(a).ok);
    CHECK(read_text(file) == after_first);

    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK(read_text(file) == original);
    CHECK(state(a) == emservice::check_state::not_in_effect);
  }
  SECTION("rolled back: gone, and the rest of the file is as it was") {
    auto undone = rewrite.rollback(a);
    INFO(undone.message);
    REQUIRE(undone.ok);
    CHECK_THAT(undone.message, Catch::Contains("removed rule 'EEMS M1.1 PowerShell - inbound'"));
    CHECK_THAT(undone.message, Catch::Contains(", with the <rewrite> apply had added"));
    CHECK(read_text(file) == original);
    CHECK(backups_of(file) == 2);
    // The rule inside <location path="owa"> was never the plugin's to touch.
    CHECK(count(read_text(file), "Location rule") == 1);

    auto twice = rewrite.rollback(a);
    REQUIRE(twice.ok);
    CHECK_THAT(twice.message, Catch::Contains("nothing to undo"));
    CHECK(read_text(file) == original);
  }
}

TEST_CASE_METHOD(rewrite_fixture,
                 "a VDir rule goes after <clear/>, before the site's rules, and a changed rule is "
                 "replaced in place") {
  const auto file = tree.front_end("owa") / "web.config";
  const std::string original = read_text(file);
  auto a = m1("VDir", "Default Web Site/owa");
  REQUIRE(rewrite.apply(a).ok);
  const std::string anchor = "        <!-- Site-specific rule kept by the administrator. -->\n";
  std::string expected = original;
  expected.insert(expected.find(anchor), m1_text("        ", "  ", "\n"));
  CHECK(read_text(file) == expected);

  // A new revision of the document changes the rule's pattern: same name,
  // replaced where it stands, never a second copy.
  auto changed = a;
  const std::string old_pattern = "(?=.*autodiscover)(?=.*powershell)";
  changed.value_xml.replace(changed.value_xml.find(old_pattern), old_pattern.size(),
                            "(?=.*autodiscover)(?=.*powershell)(?=.*@)");
  CHECK(state(changed) == emservice::check_state::not_in_effect);
  auto replaced = rewrite.apply(changed);
  REQUIRE(replaced.ok);
  CHECK_THAT(replaced.message, Catch::Contains("replaced rule"));
  const std::string now = read_text(file);
  CHECK(count(now, "EEMS M1.1") == 1);
  CHECK(count(now, "(?=.*powershell)(?=.*@)") == 1);
  CHECK(state(changed) == emservice::check_state::in_effect);
  CHECK(state(a) == emservice::check_state::not_in_effect);

  REQUIRE(rewrite.rollback(changed).ok);
  CHECK(read_text(file) == original);
}

TEST_CASE_METHOD(rewrite_fixture, "a rule written twice by hand is reduced to one") {
  const auto file = tree.front_end("owa") / "web.config";
  auto a = m1("VDir", "Default Web Site/owa");
  REQUIRE(rewrite.apply(a).ok);
  std::string text = read_text(file);
  const std::string rule = m1_text("        ", "  ", "\n");
  text.insert(text.find(rule), rule);
  write_text(file, text);
  CHECK(count(read_text(file), "EEMS M1.1") == 2);
  auto check = rewrite.check(a);
  CHECK(check.state == emservice::check_state::not_in_effect);
  CHECK_THAT(check.message, Catch::Contains("more than once"));
  REQUIRE(rewrite.apply(a).ok);
  CHECK(count(read_text(file), "EEMS M1.1") == 1);
  CHECK(rewrite.check(a).state == emservice::check_state::in_effect);
}

TEST_CASE_METHOD(rewrite_fixture,
                 "scope Server puts the rule into applicationHost.config's "
                 "globalRules") {
  const auto file = tree.application_host();
  const std::string original = read_text(file);
  auto a = m1("Server", "");
  a.value_xml =
      R"(<rule name="EEMS M2.1 Server-wide block"><match url=".*" />)"
      R"(<conditions logicalGrouping="MatchAny"><add input="{HTTP_USER_AGENT}" )"
      R"(pattern="^evil" ignoreCase="true" /></conditions>)"
      R"(<action type="CustomResponse" statusCode="403" statusReason="Forbidden" /></rule>)";
  REQUIRE(rewrite.validate(a).ok);
  CHECK(state(a) == emservice::check_state::not_in_effect);
  auto applied = rewrite.apply(a);
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK(state(a) == emservice::check_state::in_effect);

  const std::string text = read_text(file);
  const std::string expected_block =
      "            <globalRules>\r\n"
      "                <rule name=\"EEMS M2.1 Server-wide block\">\r\n"
      "                    <match url=\".*\" />\r\n"
      "                    <conditions logicalGrouping=\"MatchAny\">\r\n"
      "                        <add input=\"{HTTP_USER_AGENT}\" pattern=\"^evil\" "
      "ignoreCase=\"true\" />\r\n"
      "                    </conditions>\r\n"
      "                    <action type=\"CustomResponse\" statusCode=\"403\" "
      "statusReason=\"Forbidden\" />\r\n"
      "                </rule>\r\n"
      "            </globalRules>\r\n";
  std::string expected = original;
  expected.insert(expected.find("        </rewrite>\r\n"), expected_block);
  CHECK(text == expected);
  // The site's web.config is not where a Server rule goes.
  CHECK(count(read_text(tree.site_root_config()), "EEMS M2.1") == 0);

  REQUIRE(rewrite.rollback(a).ok);
  CHECK(read_text(file) == original);
}

TEST_CASE_METHOD(rewrite_fixture,
                 "the rule fits the file's layout: an empty <rules /> is opened (and closed "
                 "again), tabs stay tabs") {
  struct layout {
    std::string app, inserted;
  };
  for (const auto& l : {
           layout{"ecp", "      <rules>\n" + m1_text("        ", "  ", "\n") + "      </rules>\n"},
           layout{"PowerShell", "\t\t<rewrite>\n\t\t\t<rules>\n" + m1_text("\t\t\t\t", "\t", "\n")},
       }) {
    INFO(l.app);
    const auto file = tree.front_end(l.app) / "web.config";
    const std::string original = read_text(file);
    auto a = m1("VDir", "Default Web Site/" + l.app);
    REQUIRE(rewrite.apply(a).ok);
    CHECK(read_text(file).find(l.inserted) != std::string::npos);
    REQUIRE(rewrite.rollback(a).ok);
    CHECK(read_text(file) == original);
  }
}

TEST_CASE_METHOD(rewrite_fixture,
                 "a virtual directory without web.config gets one, and rollback removes it") {
  const auto file = tree.front_end("mapi") / "web.config";
  REQUIRE_FALSE(std::filesystem::exists(file));
  auto a = m1("VDir", "Default Web Site/mapi");
  CHECK(state(a) == emservice::check_state::not_in_effect);
  auto applied = rewrite.apply(a);
  INFO(applied.message);
  REQUIRE(applied.ok);
  CHECK_THAT(applied.message, Catch::Contains("(new file)"));
  CHECK(read_text(file) ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <system.webServer>\n"
        "    <rewrite>\n      <rules>\n" +
            m1_text("        ", "  ", "\n") +
            "      </rules>\n    </rewrite>\n  </system.webServer>\n</configuration>\n");
  CHECK(state(a) == emservice::check_state::in_effect);
  auto undone = rewrite.rollback(a);
  INFO(undone.message);
  REQUIRE(undone.ok);
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE_METHOD(rewrite_fixture, "a section that gained other rules stays on rollback") {
  const auto file = tree.site_root_config();
  auto a = m1();
  REQUIRE(rewrite.apply(a).ok);
  auto other = make_action(
      "M7.1", "UrlRewrite", "Site", "Default Web Site",
      R"(<rule name="Other"><match url="^other$" /><action type="AbortRequest" /></rule>)");
  REQUIRE(rewrite.apply(other).ok);
  REQUIRE(rewrite.rollback(a).ok);
  const std::string text = read_text(file);
  CHECK(count(text, "EEMS M1.1") == 0);
  CHECK(count(text, "<rule name=\"Other\">") == 1);
  CHECK(rewrite.check(other).state == emservice::check_state::in_effect);
}
