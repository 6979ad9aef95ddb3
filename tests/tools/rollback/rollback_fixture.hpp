#pragma once

#include <string>
#include <vector>

#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/systemctl_stand_in.hpp"
#include "tests/support/run_command.hpp"

namespace em::test {

// A server EX01 (Exchange2019 15.2.1118.7) with the Exchange-like IIS tree,
// the built plugins, a systemctl stand-in and an apppool control program that
// records its calls; the real emfeed signs, emsd --once applies, emctl rolls
// back.
struct rollback_fixture {
  iis_fixture tree;
  systemctl_stand_in systemctl{tree.dir().path()};
  std::filesystem::path pki;
  std::filesystem::path apppool_calls = tree.dir().path() / "apppool-calls.log";

  rollback_fixture();

  std::filesystem::path path(const std::string& name) const { return tree.dir().path() / name; }
  // emsd.conf; `extra` is appended (a TOML table or two).
  void write_config(const std::string& extra = {}, const std::string& plugin_dir = {});
  // Signs the mitigation document (M1: the real rule; M2: an app pool and a service).
  void sign(const std::string& sequence);
  command_result emsd_once();
  command_result emctl(std::vector<std::string> args);
  std::string log_text() const;
};

std::size_t occurrences(const std::string& text, const std::string& part);

}  // namespace em::test
