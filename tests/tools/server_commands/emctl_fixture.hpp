#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/store/store.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// A configuration and a store in a temp dir, as an administrator's host has
// them: the store holds EX01 (the configured server, after one cycle) and EX02;
// on a fresh install, before emsd first ran, there is no store at all.
class emctl_fixture {
 public:
  enum class start { after_one_cycle, fresh_install };
  explicit emctl_fixture(start at = start::after_one_cycle);

  // Runs the real emctl with --config pointing at the fixture's file.
  command_result emctl(const std::vector<std::string>& args);

  // A fresh look at the store, as another process would have it.
  server_record server(const std::string& name);
  std::vector<audit_entry> audit_log();

  // Who emctl records as the administrator when run by this test.
  const std::string& expected_user() const { return user_; }

  temp_dir dir;
  std::filesystem::path config_file;
  std::filesystem::path store_file;

 private:
  void set_user();
  std::unique_ptr<store> open();
  std::string user_;
  std::map<std::string, std::string> env_;
};

}  // namespace em::test
