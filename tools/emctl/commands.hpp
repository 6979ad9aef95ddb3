#pragma once

namespace CLI {
class App;
}

namespace emctl {

class context;

// Each adds its subcommand(s) to `app`; the callbacks use `ctx`.
void add_server_commands(CLI::App& app, context& ctx);  // get-server set-server get-org set-org
void add_verify_command(CLI::App& app, context& ctx);   // verify

}  // namespace emctl
