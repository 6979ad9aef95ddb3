// emsd-plugin-worker: runs the plugins for emsd and emctl in a process of
// their own, so a plugin that crashes or hangs costs one action, not the
// service (SPEC 6). Started by a plugin client only (core/plugin/worker): it
// reads what to load from the channel given with --fd, never from a file.
#include <CLI/CLI.hpp>

#include "core/plugin/worker/worker_server.hpp"
#include "tools/common/program_main.hpp"

int main(int argc, char** argv) {
  int fd = -1;
  CLI::App app{"emsd-plugin-worker - runs EM Service plugins for emsd (not for direct use)"};
  app.add_option("--fd", fd, "The channel to its client")->required()->check(CLI::Range(3, 1024));
  return emtools::run_program("emsd-plugin-worker", app, [&] {
    app.parse(argc, argv);
    return em::worker::serve_plugins(fd);
  });
}
