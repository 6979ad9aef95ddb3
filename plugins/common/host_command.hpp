#pragma once

// Commands of the built-in plugins, run by the host (host_api::run_command:
// no shell, clean signal mask, own process group killed at the limit,
// bounded output). What is left here is the plugins' view of the result and
// the one-line message an administrator reads.

#include <chrono>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

namespace emplugin {

struct command_result {
  bool started = false;  // false: it could not be run at all (`error` says why)
  bool timed_out = false;
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  std::string out;
  std::string err;
  std::string error;

  bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
};

// Runs argv (argv[0] an absolute path) through the host; a command that
// cannot start is a result with `started` false, not an exception.
command_result run_command(emservice::host_api& host, const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout);

// The command as one would type it, for messages.
std::string command_text(const std::vector<std::string>& argv);

// "'/usr/bin/systemctl stop X' failed with exit code 5: <stderr>", one line.
std::string describe_failure(const std::vector<std::string>& argv, const command_result& r);

}  // namespace emplugin
