#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace em::test {

// What the configuration loader accepts, found by asking it: each word that
// appears as a string literal in the loader's sources (core/config) is tried
// as a section, then as a key of every section found ("[feed]\nurl = 1"), and
// counts when the loader does not answer "unknown section" / "unknown key" (a
// wrong type or value still proves the key exists). A table whose keys are
// free (one that accepts a made-up key, such as [iis] variables) is listed in
// `free_tables` and its keys are not enumerated.
struct accepted_config {
  std::map<std::string, std::set<std::string>> sections;  // "feed" → {"url", …}; "store.etcd" → …
  std::set<std::string> free_tables;                      // "iis.variables", "plugins.<name>"
};

accepted_config probe_config_loader(const std::filesystem::path& loader_sources);

}  // namespace em::test
