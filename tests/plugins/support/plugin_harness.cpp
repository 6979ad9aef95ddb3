#include "tests/plugins/support/plugin_harness.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/config/config_loader.hpp"
#include "core/plugin/plugin_boundary.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace {

// An applier as the plugin worker calls it: through the host's one guard.
class guarded_view final : public emservice::applier {
 public:
  explicit guarded_view(emservice::applier& inner) : inner_(inner) {}
  emservice::outcome validate(const emservice::action& a) override {
    return em::call_applier(inner_, em::call_type::validate, a).outcome();
  }
  emservice::check_result check(const emservice::action& a) override {
    return em::call_applier(inner_, em::call_type::check, a).check();
  }
  emservice::outcome apply(const emservice::action& a) override {
    return em::call_applier(inner_, em::call_type::apply, a).outcome();
  }
  emservice::outcome rollback(const emservice::action& a) override {
    return em::call_applier(inner_, em::call_type::rollback, a).outcome();
  }

 private:
  emservice::applier& inner_;
};

}  // namespace

plugin_harness::plugin_harness(em::plugins_section plugins, em::iis_section iis) {
  store_ = em::open_sqlite_store(dir_ / "state.db");
  store_->register_server("EX01", "Exchange2019", "15.2.1118.7");
  auto log = log_;
  host_ = std::make_unique<em::plugin_host>(
      store_, "EX01",
      [log](const std::string& plugin, emservice::log_level, const std::string& text) {
        log->push_back("[" + plugin + "] " + text);
      });
  em::load_options options;
  options.config_file = "emsd.conf";
  options.host = host_.get();
  registry_ = em::plugin_registry::load_directory(plugins, iis, options);
}

plugin_harness::~plugin_harness() {
  guarded_.clear();  // before the registry unloads what they point into
}

emservice::applier& plugin_harness::applier(const std::string& type) {
  emservice::applier* a = registry_.find(type);
  if (!a) {
    std::string problems;
    for (const auto& p : registry_.problems())
      problems += p.file.filename().string() + ": " + p.reason + "\n";
    FAIL("no plugin handles " << type << "\n" << problems);
  }
  auto& view = guarded_[type];
  if (!view) view = std::make_unique<guarded_view>(*a);
  return *view;
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

em::plugins_section plugins_with(const std::string& plugin, const std::string& table) {
  // The build's folder holds both UrlRewrite plugins (rewrite, nginx): only the one under test.
  const std::string text = "[plugins]\ndir = " + toml_string(plugin_dir().string()) +
                           "\nenable = [" + toml_string(plugin) + "]\n[plugins." + plugin +
                           "]\n" + table;
  return em::parse_config(text, "emsd.conf").plugins;
}

// JSON's strings and arrays of strings are TOML's too.
std::string toml_string(const std::string& text) {
  return nlohmann::json(text).dump();
}

std::string toml_list(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

}  // namespace em::test
