#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace em::test {

struct command_result {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Runs a program (no shell) and collects its output; kills it after `timeout`
// and reports exit code 124 then, like timeout(1).
command_result run_command(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60),
                           const std::map<std::string, std::string>& extra_env = {});

}  // namespace em::test
