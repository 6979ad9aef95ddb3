#include "tests/docs/config_keys.hpp"

#include <regex>
#include <string>
#include <vector>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {
namespace {

namespace fs = std::filesystem;

// The loader's answer to a TOML text: empty when it accepted it.
std::string loader_error(const std::string& toml) {
  try {
    em::parse_config(toml, "probe.conf");
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::set<std::string> literal_words(const fs::path& dir) {
  static const std::regex literal("\"([a-z][a-z0-9_]*)\"");
  std::set<std::string> words;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    const std::string text = read_text(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it)
      words.insert((*it)[1]);
  }
  return words;
}

bool says_unknown(const std::string& error, const std::string& key) {
  return error.find(": " + key + ": unknown key") != std::string::npos ||
         error.find(": " + key + ": unknown section") != std::string::npos;
}

// "[a.b]" holds keys of its own: the loader takes it as a table (or complains
// about what is inside), rather than saying a.b is a scalar.
bool is_table(const std::string& dotted) {
  const std::string error = loader_error("[" + dotted + "]\n");
  return error.find(": " + dotted + ": expected ") == std::string::npos &&
         !says_unknown(error, dotted);
}

void probe_section(const std::string& section, const std::set<std::string>& words,
                   accepted_config& out) {
  const auto accepts = [&](const std::string& key) {
    return !says_unknown(loader_error("[" + section + "]\n" + key + " = 1\n"), section + "." + key);
  };
  if (accepts("zz_no_such_key")) {
    out.free_tables.insert(section);
    return;
  }
  auto& keys = out.sections[section];
  for (const auto& w : words) {
    if (!accepts(w)) continue;
    keys.insert(w);
    if (is_table(section + "." + w)) probe_section(section + "." + w, words, out);
  }
}

}  // namespace

accepted_config probe_config_loader(const fs::path& loader_sources) {
  const auto words = literal_words(loader_sources);
  accepted_config out;
  for (const auto& w : words)
    if (!says_unknown(loader_error("[" + w + "]\n"), w)) probe_section(w, words, out);
  // Any [plugins.<name>] table reaches the plugin of that name, which declares its keys.
  if (out.sections.count("plugins") && is_table("plugins.zz_no_such_plugin"))
    out.free_tables.insert("plugins.<name>");
  return out;
}

}  // namespace em::test
