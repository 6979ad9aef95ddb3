// emsd-plugin-worker: runs the plugins for emsd in a process of their own, so
// a plugin that crashes or hangs costs one action, not the service (SPEC 6).
// Started by emsd only; talks to it on the file descriptor given with --fd.
#include <CLI/CLI.hpp>

#include "core/config/config_loader.hpp"
#include "core/plugin/worker/worker_server.hpp"
#include "tools/common/program_main.hpp"

int main(int argc, char** argv) {
  std::string config_path;
  int fd = -1;
  CLI::App app{"emsd-plugin-worker - runs EM Service plugins for emsd (not for direct use)"};
  app.add_option("--config", config_path, "Configuration file")->required();
  app.add_option("--fd", fd, "The channel to emsd")->required()->check(CLI::Range(3, 1024));
  return emtools::run_program("emsd-plugin-worker", app, [&] {
    app.parse(argc, argv);
    return em::worker::serve_plugins(fd, em::load_config(config_path));
  });
}
