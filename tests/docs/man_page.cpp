#include "tests/docs/man_page.hpp"

#include <sstream>

#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

std::string first_word(const std::string& s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find(' ', b) - b);
}

}  // namespace

man_page::man_page(const std::filesystem::path& scd_file) {
  std::istringstream in(read_text(scd_file));
  std::string line;
  bool in_code = false;
  while (std::getline(in, line)) {
    // "# " inside a ``` block is text (a TOML comment, a shell prompt).
    if (line.rfind("```", 0) == 0) in_code = !in_code;
    if (!in_code && line.rfind("## ", 0) == 0)
      parts_.push_back({2, line.substr(3), line + "\n"});
    else if (!in_code && line.rfind("# ", 0) == 0)
      parts_.push_back({1, line.substr(2), ""});
    else if (!parts_.empty())
      parts_.back().text += line + "\n";
  }
}

std::optional<std::string> man_page::section(const std::string& title) const {
  for (const auto& p : parts_)
    if (p.level == 1 && p.heading == title) return p.text;
  return std::nullopt;
}

std::optional<std::string> man_page::subsection(const std::string& word) const {
  for (const auto& p : parts_)
    if (p.level == 2 && first_word(p.heading) == word) return p.text;
  return std::nullopt;
}

bool man_page::has_entry(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("*" + key + "*", 0) == 0) return true;
  return false;
}

std::optional<std::string> man_page::entry_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  const std::string head = "*" + key + "* = ";
  while (std::getline(in, line))
    if (line.rfind(head, 0) == 0) return line.substr(head.size());
  return std::nullopt;
}

std::set<std::string> man_page::subsection_words() const {
  std::set<std::string> words;
  for (const auto& p : parts_)
    if (p.level == 2) words.insert(first_word(p.heading));
  return words;
}

// CLI11 lists "Options:" and "Subcommands:" with two-space indented entries;
// an option entry starts with its names ("-h,--help", "--crl-fetch,--no-crl-fetch{false}",
// "--config TEXT=…"); descriptions that do not fit continue on deeper-indented lines.
cli_help parse_cli_help(const std::string& help_text) {
  cli_help out;
  std::istringstream in(help_text);
  std::string line, block;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ') {
      block = line;
      continue;
    }
    if (line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == ' ') continue;
    const std::string names = first_word(line);
    if (block == "Subcommands:") {
      out.subcommands.push_back(names);
    } else if (block == "Options:") {
      std::istringstream parts(names);
      std::string name;
      while (std::getline(parts, name, ',')) {
        name = name.substr(0, name.find_first_of("{="));
        if (name.rfind("--", 0) == 0) out.options.push_back(name);
      }
    }
  }
  return out;
}

}  // namespace em::test
