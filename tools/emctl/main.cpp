// emctl: the administrator's command line (SPEC 7).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/config/config_loader.hpp"
#include "tools/common/program_main.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace {

// CLI11 reads "--opt=" as "the value is the next argument", so
// `set-server --blocked= EX02` would block "EX02". SPEC 7 makes "--opt=" mean
// "clear": pass it on as the option and an explicit empty value.
std::vector<std::string> split_empty_assignments(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 3 && a.rfind("--", 0) == 0 && a.back() == '=' && a.find('=') == a.size() - 1) {
      args.push_back(a.substr(0, a.size() - 1));
      args.emplace_back();
    } else {
      args.push_back(std::move(a));
    }
  }
  // CLI11 takes the vector in reverse order.
  return {args.rbegin(), args.rend()};
}

}  // namespace

int main(int argc, char** argv) {
  emctl::context ctx;
  ctx.config_path = em::default_config_path;
  CLI::App app{"emctl - view and control the EM Service on this server and organisation"};
  app.name("emctl");
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.option_defaults()->always_capture_default();
  app.add_option("--config", ctx.config_path, "Configuration file")->capture_default_str();
  app.require_subcommand(1);
  app.fallthrough();
  emctl::add_server_commands(app, ctx);
  emctl::add_mitigation_commands(app, ctx);
  emctl::add_check_now_command(app, ctx);
  emctl::add_connectivity_command(app, ctx);
  emctl::add_rollback_command(app, ctx);
  emctl::add_plan_command(app, ctx);
  emctl::add_plugins_command(app, ctx);
  emctl::add_verify_command(app, ctx);
  emctl::add_test_request_command(app, ctx);
  emctl::add_store_commands(app, ctx);
  return emtools::run_program("emctl", app, [&] {
    app.parse(split_empty_assignments(argc, argv));
    return ctx.exit_code;
  });
}
