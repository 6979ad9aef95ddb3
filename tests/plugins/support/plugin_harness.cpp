#include "tests/plugins/support/plugin_harness.hpp"

#include <catch2/catch.hpp>

#include "core/store/sqlite_store.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

plugin_harness::plugin_harness(em::plugins_section plugins, em::iis_section iis) {
  store_ = em::open_sqlite_store(dir_ / "state.db");
  store_->register_server("EX01", "Exchange2019", "15.2.1118.7");
  auto log = log_;
  host_ = std::make_unique<em::plugin_host>(
      store_, "EX01",
      [log](const std::string& plugin, emservice::log_level, const std::string& text) {
        log->push_back("[" + plugin + "] " + text);
      });
  registry_ = em::plugin_registry::load_directory(plugins.dir, plugins, iis, host_.get());
}

emservice::applier& plugin_harness::applier(const std::string& type) {
  emservice::applier* a = registry_.find(type);
  if (!a) {
    std::string problems;
    for (const auto& p : registry_.problems())
      problems += p.file.filename().string() + ": " + p.reason + "\n";
    FAIL("no plugin handles " << type << "\n" << problems);
  }
  return *a;
}

std::string plugin_harness::refusal(const std::string& file) const {
  for (const auto& p : registry_.problems())
    if (p.file.filename() == file) return p.reason;
  return {};
}

emservice::action make_action(const std::string& id, const std::string& type,
                              const std::string& scope, const std::string& target,
                              const std::string& value) {
  return {id, type, scope, target, "test action", value};
}

em::plugins_section plugins_with(const std::string& plugin, em::plugin_settings settings) {
  em::plugins_section p;
  p.dir = plugin_dir();
  // The build's folder holds both UrlRewrite plugins (rewrite, nginx): only the one under test.
  p.enable = std::vector<std::string>{plugin};
  p.tables[plugin] = std::move(settings);
  return p;
}

}  // namespace em::test
