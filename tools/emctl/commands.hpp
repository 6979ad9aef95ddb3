#pragma once

namespace CLI {
class App;
}

namespace emctl {

class context;

// Each adds its subcommand(s) to `app`; the callbacks use `ctx`.
void add_server_commands(CLI::App& app, context& ctx);      // get-server set-server get-org set-org
void add_verify_command(CLI::App& app, context& ctx);       // verify
void add_mitigation_commands(CLI::App& app, context& ctx);  // get-mitigations audit
void add_check_now_command(CLI::App& app, context& ctx);    // check-now
void add_connectivity_command(CLI::App& app, context& ctx);  // test-connectivity
void add_rollback_command(CLI::App& app, context& ctx);      // rollback
void add_test_request_command(CLI::App& app, context& ctx);  // test-request
void add_plan_command(CLI::App& app, context& ctx);          // plan
void add_plugins_command(CLI::App& app, context& ctx);       // plugins
void add_store_commands(CLI::App& app, context& ctx);        // store copy

}  // namespace emctl
