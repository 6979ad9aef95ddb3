#pragma once

// End-to-end policy tests: the real emfeed signs, the real emsd --once applies
// through real plugins (ping, and the marker test plugin that creates files),
// several servers share one real SQLite store, and the real emctl reads it.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// M1 with its real ranges (Exchange 2019 CU11 up to 15.2.986.30, CU12 up to
// 15.2.1118.15) and two actions that create files m1-a and m1-b.
extern const char* const m1_config;
// PING1, applicable everywhere.
extern const char* const ping_config;

class policy_fixture {
 public:
  policy_fixture();

  // Writes <name>.conf for a server of that build sharing this fixture's
  // store, feed, plugins and marker folder; returns its path.
  std::filesystem::path server(const std::string& name, const std::string& build,
                               const std::string& schedule = "initial_delay = \"1h\"\n");

  // The same, with another store (an etcd organisation) or marker folder.
  struct server_options {
    std::string schedule = "initial_delay = \"1h\"\n";
    std::string store = "[store]\npath = \"state.db\"\n";  // the [store] table(s)
    std::filesystem::path host;  // the marker plugin's folder; empty: `host`
    std::string file;            // the configuration's name; empty: <name>.conf
  };
  std::filesystem::path server(const std::string& name, const std::string& build,
                               const server_options& options);

  // Signs an EOCS document holding `configs` with the next sequence into the feed.
  void publish(const std::string& configs);

  command_result emsd_once(const std::filesystem::path& config);
  command_result emctl(const std::filesystem::path& config, std::vector<std::string> args);

  nlohmann::json server_json(const std::filesystem::path& config, const std::string& name);
  // Action ID → Status of one server, from emctl get-mitigations --json.
  std::map<std::string, std::string> statuses(const std::filesystem::path& config,
                                              const std::string& name);
  std::vector<std::string> applied(const std::filesystem::path& config, const std::string& name);

  std::string log_of(const std::string& name);
  bool marker(const std::string& file) const;
  void remove_marker(const std::string& file) const;

  temp_dir dir{"empolicy"};
  std::filesystem::path plugins;
  std::filesystem::path host;  // where the marker plugin creates its files

 private:
  unsigned sequence_ = 0;
};

}  // namespace em::test
