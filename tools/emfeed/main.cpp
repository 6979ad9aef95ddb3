// emfeed: the publisher's tool (SPEC 7): signs mitigation documents and serves them.
#include <CLI/CLI.hpp>

#include "tools/common/program_main.hpp"
#include "tools/emfeed/commands.hpp"

int main(int argc, char** argv) {
  int exit_code = 0;
  CLI::App app{"emfeed - sign and serve EM Service mitigation documents"};
  app.require_subcommand(1);
  emfeed::add_sign_command(app, exit_code);
  emfeed::add_serve_command(app, exit_code);
  return emtools::run_program("emfeed", app, [&] {
    app.parse(argc, argv);
    return exit_code;
  });
}
