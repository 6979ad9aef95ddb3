// emsd: the EM Service daemon (SPEC 1, 4, 7).
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"
#include "tools/emsd/service.hpp"

int main(int argc, char** argv) {
  std::string config_path = em::default_config_path;
  bool once = false;
  CLI::App app{
      "emsd - the EM Service: checks the mitigation feed, verifies and applies mitigations"};
  app.add_option("--config", config_path, "Configuration file")->capture_default_str();
  app.add_flag("--once", once, "Run exactly one check cycle now and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    auto config = em::load_config(config_path);
    emsd::service::block_signals();
    emsd::service service{config};
    return once ? service.run_once() : service.run_until_stopped();
  } catch (const em::invalid_input& e) {
    std::cerr << "emsd: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "emsd: " << e.what() << "\n";
    return 1;
  }
}
