// emctl: the administrator's command line (SPEC 7).
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

int main(int argc, char** argv) {
  emctl::context ctx;
  ctx.config_path = em::default_config_path;
  CLI::App app{"emctl - view and control the EM Service on this server and organisation"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.option_defaults()->always_capture_default();
  app.add_option("--config", ctx.config_path, "Configuration file")->capture_default_str();
  app.require_subcommand(1);
  app.fallthrough();
  emctl::add_server_commands(app, ctx);
  emctl::add_verify_command(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const em::invalid_input& e) {
    std::cerr << "emctl: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "emctl: " << e.what() << "\n";
    return 1;
  }
  return ctx.exit_code;
}
