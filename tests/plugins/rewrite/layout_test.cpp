// Issue 11, SPEC 10 "style", "backups" and "crashes", on the real Exchange
// 2019 files and variants of them: inserted XML takes the indentation and
// line endings around it; a UTF-16 or broken file is refused untouched; the
// newest [iis] backups are kept; leftovers of a killed edit go.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "plugins/common/backup_files.hpp"
#include "tests/plugins/rewrite/rewrite_test_text.hpp"
#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/plugins/support/real_iis_tree.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

struct layout_fixture {
  real_iis_tree tree;

  emservice::action m1(const std::string& scope, const std::string& target) const {
    return make_action("M1.1", "UrlRewrite", scope, target, m1_rule());
  }
  // Applies the action, requires one run of bytes added, returns it.
  std::string added_by(const emservice::action& a, const fs::path& file) {
    const std::string before = read_text(file);
    plugin_harness plugins(plugins_with("rewrite"), tree.iis());
    auto applied = plugins.applier("UrlRewrite").apply(a);
    INFO(applied.message);
    REQUIRE(applied.ok);
    std::string added;
    REQUIRE(one_insertion(before, read_text(file), added));
    return added;
  }
};

std::string crlf(const std::string& lf) {
  std::string out;
  for (char c : lf)
    out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

// A pid no process has: a child that has already been reaped.
pid_t gone_pid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

}  // namespace

TEST_CASE_METHOD(layout_fixture, "issue_11_inserted_xml_follows_the_indentation_of_the_file") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  SECTION("the real files: 2 spaces in web.config, 4 in applicationHost.config") {
    CHECK(added_by(m1("VDir", "Default Web Site/PowerShell"), tree.front_end("PowerShell")) ==
          "    <rewrite>\n      <rules>\n" + m1_text("        ", "  ", "\n") +
              "      </rules>\n    </rewrite>\n");
    CHECK(added_by(m1("Server", ""), tree.application_host()) ==
          "        <rewrite>\n            <globalRules>\n" +
              m1_text("                ", "    ", "\n") +
              "            </globalRules>\n        </rewrite>\n");
  }
  SECTION("indented by 4, with a comment at 2: 4 it is") {
    const auto file = tree.front_end("ecp");
    write_text(file,
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<configuration>\n"
               "  <!-- Managed by the web team: ask before changing. -->\n"
               "    <appSettings>\n"
               "        <add key=\"HttpProxy.ProtocolType\" value=\"Ecp\" />\n"
               "    </appSettings>\n"
               "    <system.webServer>\n"
               "    </system.webServer>\n"
               "</configuration>\n");
    CHECK(added_by(m1("VDir", "Default Web Site/ecp"), file) ==
          "        <rewrite>\n            <rules>\n" + m1_text("                ", "    ", "\n") +
              "            </rules>\n        </rewrite>\n");
  }
}

TEST_CASE_METHOD(layout_fixture, "issue_11_line_endings_follow_the_surroundings") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  SECTION("the real file with CRLF, as on Windows") {
    const auto file = tree.front_end("PowerShell");
    write_text(file, crlf(read_text(file)));
    const std::string added = added_by(m1("VDir", "Default Web Site/PowerShell"), file);
    CHECK(added == crlf("    <rewrite>\n      <rules>\n" + m1_text("        ", "  ", "\n") +
                        "      </rules>\n    </rewrite>\n"));
  }
  SECTION("LF at the top, CRLF where the rule goes") {
    const auto file = tree.front_end("PowerShell");
    const std::string text = read_text(file);
    const auto body = text.find("<configuration>");
    write_text(file, text.substr(0, body) + crlf(text.substr(body)));
    const std::string added = added_by(m1("VDir", "Default Web Site/PowerShell"), file);
    CHECK(count(added, "\r\n") == count(added, "\n"));
    CHECK(count(added, "\n") == 11);
  }
}

TEST_CASE_METHOD(layout_fixture, "issue_11_utf16_and_broken_files_are_refused_untouched") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  const auto file = tree.front_end("PowerShell");
  std::string text = read_text(file);
  REQUIRE(text.compare(0, 3, "\xEF\xBB\xBF") == 0);  // the real file has a UTF-8 BOM

  struct variant {
    std::string what, bytes, reason;
  };
  std::string utf16 = "\xFF\xFE";  // the same file as Notepad's "Unicode" would save it
  for (char c : text.substr(3)) {
    utf16 += c;
    utf16 += '\0';
  }
  for (const auto& v : {
           variant{"UTF-16", utf16, "is not UTF-8 (UTF-16 and UTF-32 files are not supported)"},
           variant{"cut in half", text.substr(0, text.size() / 2), "is not well-formed XML"},
           variant{"a DOCTYPE",
                   replaced_once(text, "<configuration>",
                                 "<!DOCTYPE configuration []>\n<configuration>"),
                   "has a DOCTYPE"},
       }) {
    INFO(v.what);
    write_text(file, v.bytes);
    plugin_harness plugins(plugins_with("rewrite"), tree.iis());
    auto& rewrite = plugins.applier("UrlRewrite");
    auto a = m1("VDir", "Default Web Site/PowerShell");
    auto check = rewrite.check(a);
    CHECK(check.state == emservice::check_state::error);
    CHECK_THAT(check.message, Catch::Contains(v.reason));
    auto applied = rewrite.apply(a);
    CHECK_FALSE(applied.ok);
    CHECK_THAT(applied.message, Catch::Contains(file.string()));
    CHECK_THAT(applied.message, Catch::Contains(v.reason));
    CHECK(read_text(file) == v.bytes);
    CHECK(backups_of(file) == 0);
  }
}

TEST_CASE_METHOD(layout_fixture, "issue_11_at_most_five_backups_and_only_the_services_own_go") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  const auto file = tree.front_end("PowerShell");
  // An administrator's copies beside it are not the service's.
  write_text(fs::path(file.string() + ".bak"), "admin");
  write_text(fs::path(file.string() + ".emservice-notes.bak"), "admin notes");
  const auto a = m1("VDir", "Default Web Site/PowerShell");

  SECTION("the default: 5") {
    plugin_harness plugins(plugins_with("rewrite"), tree.iis());
    auto& rewrite = plugins.applier("UrlRewrite");
    std::string last_before;
    for (int i = 0; i < 6; ++i) {
      REQUIRE(rewrite.apply(a).ok);
      last_before = read_text(file);
      REQUIRE(rewrite.rollback(a).ok);
    }
    const auto backups = emplugin::own_backups(file);
    CHECK(backups.size() == 5);
    // The newest is what the last rollback replaced.
    CHECK(read_text(backups.back()) == last_before);
    CHECK(backups_of(file) == 5 + 2);
    CHECK(read_text(fs::path(file.string() + ".bak")) == "admin");
    CHECK(read_text(fs::path(file.string() + ".emservice-notes.bak")) == "admin notes");
  }
  SECTION("[iis] backups = 2") {
    auto iis = tree.iis();
    iis.backups = 2;
    plugin_harness plugins(plugins_with("rewrite"), iis);
    auto& rewrite = plugins.applier("UrlRewrite");
    for (int i = 0; i < 3; ++i) {
      REQUIRE(rewrite.apply(a).ok);
      REQUIRE(rewrite.rollback(a).ok);
    }
    CHECK(emplugin::own_backups(file).size() == 2);
  }
}

TEST_CASE_METHOD(layout_fixture, "issue_11_leftovers_of_a_killed_edit_are_removed_by_the_next") {
  EM_SKIP_WITHOUT_REAL_IIS(tree);
  const auto file = tree.front_end("PowerShell");
  const std::string dead = std::to_string(gone_pid());
  const fs::path temp(file.string() + ".tmp." + dead + ".123");
  const fs::path backup_temp(file.string() + ".emservice-20240101T000000.000Z.bak.tmp." + dead +
                             ".7");
  const fs::path live(file.string() + ".tmp.1.5");  // pid 1 runs: its file is left to it
  for (const auto& f : {temp, backup_temp, live})
    write_text(f, "half a file");

  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");
  auto a = m1("VDir", "Default Web Site/PowerShell");
  CHECK(rewrite.check(a).state == emservice::check_state::not_in_effect);
  CHECK(fs::exists(temp));  // check changes nothing
  REQUIRE(rewrite.apply(a).ok);
  CHECK_FALSE(fs::exists(temp));
  CHECK_FALSE(fs::exists(backup_temp));
  CHECK(fs::exists(live));
  bool logged = false;
  for (const auto& line : plugins.log_lines())
    logged = logged || line.find("removed " + temp.string() +
                                 ", left by an edit that was interrupted") != std::string::npos;
  CHECK(logged);
}
