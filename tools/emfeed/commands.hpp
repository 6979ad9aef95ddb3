#pragma once

namespace CLI {
class App;
}

namespace emfeed {

// Each adds its subcommand to `app` and stores its exit code in `exit_code`.
void add_sign_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace emfeed
