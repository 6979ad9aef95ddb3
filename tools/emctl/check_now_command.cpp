// emctl check-now: asks the running emsd for a check cycle at once, through
// its control channel, and prints the outcome (SPEC 4, 7).
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/control/control_channel.hpp"
#include "core/control/control_server.hpp"
#include "core/util/error.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace emctl {
namespace {

void run_check_now(context& ctx) {
  const auto& socket = ctx.config().control.socket;
  std::string response = em::control_request(socket, em::control::check_now);
  auto space = response.find(' ');
  std::string status = response.substr(0, space);
  std::string rest = space == std::string::npos ? "" : response.substr(space + 1);
  if (status == em::control::ok) {
    std::cout << rest;
    ctx.exit_code = 0;
    return;
  }
  if (status == em::control::busy)
    std::cerr << "emctl: a check cycle is already running; try again when it ends\n";
  else if (status == em::control::denied)
    std::cerr << "emctl: permission denied: " << rest;
  else
    std::cerr << "emctl: check cycle failed: " << rest;
  ctx.exit_code = 1;
}

}  // namespace

void add_check_now_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand(
      "check-now",
      "Run a check cycle now on the running emsd (as SIGUSR1 does) and print its outcome; "
      "root or the configured admin group only");
  cmd->callback([&ctx] { run_check_now(ctx); });
}

}  // namespace emctl
