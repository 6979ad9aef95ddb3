// emsd-plugin-worker: runs the plugins for emsd in a process of their own, so
// a plugin that crashes or hangs costs one action, not the service (SPEC 6).
// Started by emsd only; talks to it on the file descriptor given with --fd.
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/config/config_loader.hpp"
#include "core/plugin/worker/worker_server.hpp"

int main(int argc, char** argv) {
  std::string config_path;
  int fd = -1;
  CLI::App app{"emsd-plugin-worker - runs EM Service plugins for emsd (not for direct use)"};
  app.add_option("--config", config_path, "Configuration file")->required();
  app.add_option("--fd", fd, "The channel to emsd")->required()->check(CLI::Range(3, 1024));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    return em::worker::serve_plugins(fd, em::load_config(config_path));
  } catch (const std::exception& e) {
    std::cerr << "emsd-plugin-worker: " << e.what() << "\n";
    return 1;
  }
}
