#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "core/config/service_config.hpp"
#include "core/plugin/plugin_host.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/store/store.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// The built plugins as emsd's plugin worker loads them: the real loader on
// the build's plugin folder (settings checked against each plugin's
// declarations, errors naming emsd.conf), each plugin's values in a real
// SQLite store (server EX01), its log lines collected, and every call through
// the host's one exception guard, as the worker calls them.
class plugin_harness {
 public:
  plugin_harness(em::plugins_section plugins, em::iis_section iis);
  ~plugin_harness();

  // The applier for `type`, seen through the host's guard; fails the test
  // when no plugin handles it.
  emservice::applier& applier(const std::string& type);
  const em::plugin_registry& registry() const { return registry_; }
  em::store& store() { return *store_; }
  const std::vector<std::string>& log_lines() const { return *log_; }
  // Why the loader refused `file` (e.g. "rewrite.so"), or "" when it did not.
  std::string refusal(const std::string& file) const;

 private:
  temp_dir dir_{"emharness"};
  std::shared_ptr<em::store> store_;
  std::shared_ptr<std::vector<std::string>> log_ = std::make_shared<std::vector<std::string>>();
  std::unique_ptr<em::plugin_host> host_;
  em::plugin_registry registry_;
  std::map<std::string, std::unique_ptr<emservice::applier>> guarded_;
};

emservice::action make_action(const std::string& id, const std::string& type,
                              const std::string& scope, const std::string& target,
                              const std::string& value);

// A [plugins] section for the build's plugin folder that enables one plugin,
// with its table written as an operator writes it in emsd.conf (e.g.
// "timeout = \"300ms\"\n") and read by the real configuration loader.
em::plugins_section plugins_with(const std::string& plugin, const std::string& table = {});

// "a" and ["a", "b"] in TOML, for a string and a list setting.
std::string toml_string(const std::string& text);
std::string toml_list(const std::vector<std::string>& items);

}  // namespace em::test
