// emsd.conf(5) cannot fall behind the configuration: every section and key the
// loader accepts (asked of the loader itself, see config_keys.hpp) and every
// key a built-in plugin declares for its [plugins.<name>] table (read from
// the built plugins' descriptors) has its entry in the page.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <emservice/plugin.hpp>

#include "tests/docs/config_keys.hpp"
#include "tests/docs/man_page.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

const man_page& config_page() {
  static const man_page page(source_dir() / "docs/man/emsd.conf.5.scd");
  return page;
}

// "## [store.etcd]" documents the table store.etcd, and thereby the key etcd of [store].
bool documents(const std::string& section, const std::string& key) {
  const auto text = config_page().subsection("[" + section + "]");
  if (text && man_page::has_entry(*text, key)) return true;
  return config_page().subsection("[" + section + "." + key + "]").has_value();
}

struct declared_plugin {
  std::string name;
  std::vector<std::string> keys;
};

// The descriptor of a built plugin, as emsd's loader reads it.
declared_plugin read_descriptor(const fs::path& file) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  INFO(file << ": " << (handle ? "" : ::dlerror()));
  REQUIRE(handle);
  using entry_fn = const emservice::plugin_descriptor* (*)();
  auto entry = reinterpret_cast<entry_fn>(::dlsym(handle, EMSERVICE_PLUGIN_ENTRY_NAME));
  REQUIRE(entry);
  const auto* d = entry();
  declared_plugin p{d->name, {}};
  // "sites.*" (a table of free keys, docs/plugins.md) is the entry "sites".
  for (auto k = d->setting_keys; k && *k; ++k) {
    std::string key = *k;
    if (key.size() > 2 && key.compare(key.size() - 2, 2, ".*") == 0) key.resize(key.size() - 2);
    p.keys.push_back(key);
  }
  ::dlclose(handle);
  return p;
}

}  // namespace

TEST_CASE("issue_17_man_pages: emsd.conf(5) documents every section and key the loader accepts") {
  const auto accepted = probe_config_loader(source_dir() / "core/config");
  // The probe found the configuration SPEC 9 describes (it works at all).
  REQUIRE(accepted.sections.count("feed"));
  REQUIRE(accepted.sections.at("feed").count("url"));
  CHECK(accepted.free_tables.count("plugins.<name>"));

  for (const auto& [section, keys] : accepted.sections) {
    {
      INFO("emsd.conf(5) has no \"## [" << section << "]\" subsection");
      CHECK(config_page().subsection("[" + section + "]"));
    }
    for (const auto& key : keys) {
      INFO("emsd.conf(5) has no entry \"*" << key << "*\" under [" << section << "]");
      CHECK(documents(section, key));
    }
  }
}

TEST_CASE("issue_17_man_pages: emsd.conf(5) documents every built-in plugin's settings") {
  std::size_t plugins = 0;
  for (const auto& entry : fs::directory_iterator(plugin_dir())) {
    if (entry.path().extension() != ".so") continue;
    const auto p = read_descriptor(entry.path());
    ++plugins;
    const auto text = config_page().subsection("[plugins." + p.name + "]");
    if (!text) {
      FAIL_CHECK("emsd.conf(5) has no \"## [plugins." << p.name << "]\" subsection");
      continue;
    }
    // A plugin without a key list (ping) checks its table itself: nothing to list.
    for (const auto& key : p.keys) {
      INFO("emsd.conf(5) has no entry \"*" << key << "*\" under [plugins." << p.name << "]");
      CHECK(man_page::has_entry(*text, key));
    }
  }
  CHECK(plugins >= 1);
}
