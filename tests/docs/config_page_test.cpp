// emsd.conf(5) cannot fall behind the configuration: every section and key the
// loader accepts (asked of the loader itself, see config_keys.hpp) and every
// key a built-in plugin declares for its [plugins.<name>] table (read from
// the built plugins' descriptors) has its entry in the page.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <emservice/plugin.hpp>

#include "core/config/plugin_table.hpp"
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

struct declared_setting {
  std::string key;
  emservice::setting_type type;
};

struct declared_plugin {
  std::string name;
  std::vector<declared_setting> settings;
};

// Whether an entry's value ("_duration_", "[_string_, …]") is written as the
// type the plugin declares, so the page cannot tell an operator to write a
// value the host would refuse (issue 16).
bool written_as(emservice::setting_type type, const std::string& value) {
  using emservice::setting_type;
  const auto starts = [&](const char* s) { return value.rfind(s, 0) == 0; };
  switch (type) {
    case setting_type::duration:
      return value == "_duration_";
    case setting_type::integer:
      return value == "_integer_";
    case setting_type::boolean:
      return value == "_boolean_";
    case setting_type::list:
      return starts("[");
    case setting_type::table:
      return starts("{");
    case setting_type::string:
      return !starts("[") && !starts("{") && value != "_duration_" && value != "_integer_" &&
             value != "_boolean_";
  }
  return false;
}

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
  for (auto spec = d->settings; spec && spec->key; ++spec)
    p.settings.push_back({spec->key, spec->type});
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
    // A plugin that declares no setting (ping) has nothing to list.
    for (const auto& s : p.settings) {
      const auto value = man_page::entry_value(*text, s.key);
      if (!value) {
        FAIL_CHECK("emsd.conf(5) has no entry \"*" << s.key << "* = …\" under [plugins." << p.name
                                                   << "]");
        continue;
      }
      INFO("[plugins." << p.name << "] " << s.key << " is declared a " << em::to_string(s.type)
                       << " but documented as " << *value);
      CHECK(written_as(s.type, *value));
    }
  }
  CHECK(plugins >= 1);
}
