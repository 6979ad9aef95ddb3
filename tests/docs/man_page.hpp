#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace em::test {

// A man page's scdoc source (docs/man/*.scd), cut into its sections ("# NAME")
// and subsections ("## get-server [NAME] …", "## [feed]") so a test can ask
// what one of them documents.
class man_page {
 public:
  explicit man_page(const std::filesystem::path& scd_file);

  // The text of the section "# <title>", without its subsections; empty when absent.
  std::optional<std::string> section(const std::string& title) const;
  // The text (heading included) of the first subsection whose heading's first
  // word is `word` ("## verify FILE …" for "verify"); empty when absent.
  std::optional<std::string> subsection(const std::string& word) const;
  // Whether a line of `text` starts with "*<key>*" (a key entry of emsd.conf(5)).
  static bool has_entry(const std::string& text, const std::string& key);
  // What the entry of `key` says its value is: "_duration_" of "*timeout* = _duration_".
  static std::optional<std::string> entry_value(const std::string& text, const std::string& key);
  // The first words of every "## " heading.
  std::set<std::string> subsection_words() const;

 private:
  struct part {
    int level;  // 1 for "# ", 2 for "## "
    std::string heading;
    std::string text;
  };
  std::vector<part> parts_;
};

// The subcommands and the long options ("--json") that a CLI11 --help lists.
struct cli_help {
  std::vector<std::string> subcommands;
  std::vector<std::string> options;
};
cli_help parse_cli_help(const std::string& help_text);

}  // namespace em::test
