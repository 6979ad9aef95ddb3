#pragma once

namespace CLI {
class App;
}

namespace emctl {

class context;

// get-org and set-org (Get-/Set-OrganizationConfig); add_server_commands calls it.
void add_org_commands(CLI::App& app, context& ctx);

}  // namespace emctl
