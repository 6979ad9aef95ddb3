// The man pages of the programs (docs/man, SPEC 14) cannot fall behind the
// programs: every subcommand that `--help` lists has its own "## <name>"
// subsection, and every long option it (or the program) lists is documented
// there (or under OPTIONS). The lists come from the built programs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "tests/docs/man_page.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;

namespace {

// Options every program and subcommand has, documented once under OPTIONS.
bool is_common_option(const std::string& o) {
  return o == "--help" || o == "--help-all" || o == "--version";
}

cli_help help_of(const std::vector<std::string>& argv) {
  auto r = run_command(argv);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return parse_cli_help(r.out);
}

// `program --help`: its options under OPTIONS, each subcommand's options in its subsection.
void check_page(const std::string& program, const std::string& page_name) {
  const man_page page(source_dir() / "docs/man" / (page_name + ".scd"));
  const auto top = help_of({program, "--help"});
  const auto options = page.section("OPTIONS");
  REQUIRE(options);
  for (const auto& o : top.options) {
    INFO(page_name << ": option " << o << " of " << program);
    CHECK_THAT(*options, Catch::Contains("*" + o + "*"));
  }
  for (const auto& sub : top.subcommands) {
    const auto text = page.subsection(sub);
    if (!text) {
      FAIL_CHECK(page_name << " has no \"## " << sub << "\" subsection for " << program << " "
                           << sub);
      continue;
    }
    INFO(page_name << ": subcommand " << sub);
    const auto sub_help = help_of({program, sub, "--help"});
    for (const auto& o : sub_help.options) {
      if (is_common_option(o)) continue;
      INFO("option " << o);
      CHECK_THAT(*text, Catch::Contains("*" + o + "*"));
    }
    // A command of commands (`emctl store copy`) is documented in its
    // group's subsection: its name and its options.
    for (const auto& nested : sub_help.subcommands) {
      INFO("subcommand " << sub << " " << nested);
      CHECK_THAT(*text, Catch::Contains(sub + " " + nested));
      for (const auto& o : help_of({program, sub, nested, "--help"}).options) {
        if (is_common_option(o)) continue;
        INFO("option " << o);
        CHECK_THAT(*text, Catch::Contains("*" + o + "*"));
      }
    }
  }
  // A subsection for a subcommand that no longer exists misleads as much.
  if (!top.subcommands.empty())
    for (const auto& word : page.subsection_words()) {
      INFO(page_name << ": \"## " << word << "\" names no subcommand of " << program);
      CHECK(std::find(top.subcommands.begin(), top.subcommands.end(), word) !=
            top.subcommands.end());
    }
}

}  // namespace

TEST_CASE("issue_17_man_pages: emctl(8) documents every emctl subcommand and option") {
  const auto top = help_of({emctl_path().string(), "--help"});
  CHECK(top.subcommands.size() >= 10);  // the parse found them (SPEC 7 names ten)
  check_page(emctl_path().string(), "emctl.8");
}

TEST_CASE("issue_17_man_pages: emfeed(1) documents every emfeed subcommand and option") {
  check_page(emfeed_path().string(), "emfeed.1");
}

TEST_CASE("issue_17_man_pages: emsd(8) documents every emsd option") {
  const auto top = help_of({emsd_path().string(), "--help"});
  CHECK(std::find(top.options.begin(), top.options.end(), "--once") != top.options.end());
  check_page(emsd_path().string(), "emsd.8");
}
