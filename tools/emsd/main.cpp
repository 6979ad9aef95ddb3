// emsd: the EM Service daemon (SPEC 1, 4, 7).
#include <CLI/CLI.hpp>

#include "core/config/config_loader.hpp"
#include "tools/common/program_main.hpp"
#include "tools/emsd/service.hpp"

int main(int argc, char** argv) {
  std::string config_path = em::default_config_path;
  bool once = false;
  CLI::App app{
      "emsd - the EM Service: checks the mitigation feed, verifies and applies mitigations"};
  app.add_option("--config", config_path, "Configuration file")->capture_default_str();
  app.add_flag("--once", once, "Run exactly one check cycle now and exit");
  return emtools::run_program("emsd", app, [&] {
    app.parse(argc, argv);
    auto config = em::load_config(config_path);
    emsd::service::block_signals();
    emsd::service service{config};
    return once ? service.run_once() : service.run_until_stopped();
  });
}
