// emfeed: the publisher's tool (SPEC 7): signs mitigation documents and serves them.
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/util/error.hpp"
#include "tools/emfeed/commands.hpp"

int main(int argc, char** argv) {
  int exit_code = 0;
  CLI::App app{"emfeed - sign and serve EM Service mitigation documents"};
  app.require_subcommand(1);
  emfeed::add_sign_command(app, exit_code);
  emfeed::add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const em::invalid_input& e) {
    std::cerr << "emfeed: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "emfeed: " << e.what() << "\n";
    return 1;
  }
  return exit_code;
}
