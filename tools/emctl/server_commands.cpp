// get-server and set-server (Get-/Set-ExchangeServer), plus the organisation's pair.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include "core/util/error.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"
#include "tools/emctl/org_commands.hpp"
#include "tools/emctl/server_view.hpp"
#include "tools/emctl/setting_options.hpp"

namespace emctl {
namespace {

struct get_server_options {
  std::string name;
  bool json = false;
  std::vector<std::string> properties;
};

struct set_server_options {
  std::string name;
  std::string mitigations_enabled;
  std::string blocked;
  std::string data_collection_enabled;
  std::string internet_web_proxy;
  CLI::Option* mitigations_enabled_opt = nullptr;
  CLI::Option* blocked_opt = nullptr;
  CLI::Option* data_collection_enabled_opt = nullptr;
  CLI::Option* internet_web_proxy_opt = nullptr;
  std::string applied;
  CLI::Option* applied_opt = nullptr;
};

// Server names are case-insensitive, as in the store.
bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

em::server_record require_server(em::store& store, const std::string& name) {
  auto server = store.find_server(name);
  if (!server) throw em::invalid_input("unknown server '" + name + "'");
  return *server;
}

void run_get_server(const get_server_options& opts, context& ctx) {
  // Checked before the store is opened: a typo is reported as such.
  const auto requested = resolve_server_properties(opts.properties);
  const bool defaulted = opts.properties.empty();
  auto properties = [&](const em::server_record& s) {
    return defaulted ? with_liveness(requested, s) : requested;
  };
  auto& store = ctx.store();
  if (!opts.name.empty()) {
    const auto server = require_server(store, opts.name);
    if (opts.json)
      std::cout << server_json(server, properties(server)).dump(2) << "\n";
    else
      std::cout << format_server(server, properties(server));
    return;
  }
  const auto servers = store.list_servers();
  if (servers.empty() && !opts.json)
    std::cerr << "emctl: no server in the store yet; emsd adds its own at start\n";
  if (opts.json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& s : servers)
      out.push_back(server_json(s, properties(s)));
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (size_t i = 0; i < servers.size(); ++i)
    std::cout << (i ? "\n" : "") << format_server(servers[i], properties(servers[i]));
}

void run_set_server(const set_server_options& opts, context& ctx) {
  // Every value is checked before the store is touched, so a bad one changes nothing.
  if (opts.applied_opt->count())
    throw em::invalid_input(
        "MitigationsApplied is written by the service only and cannot be set; use --blocked");
  em::server_changes changes;
  if (opts.mitigations_enabled_opt->count())
    changes.mitigations_enabled =
        parse_bool_option(opts.mitigations_enabled, "--mitigations-enabled");
  if (opts.blocked_opt->count()) changes.blocked = split_id_list(opts.blocked);
  if (opts.data_collection_enabled_opt->count())
    changes.data_collection_enabled =
        parse_bool_option(opts.data_collection_enabled, "--data-collection-enabled");
  if (opts.internet_web_proxy_opt->count()) {
    check_proxy_option(opts.internet_web_proxy, "--internet-web-proxy");
    changes.internet_web_proxy = opts.internet_web_proxy;
  }
  if (!changes.mitigations_enabled && !changes.blocked && !changes.data_collection_enabled &&
      !changes.internet_web_proxy)
    throw em::invalid_input(
        "nothing to change: give --mitigations-enabled, --blocked, --data-collection-enabled "
        "or --internet-web-proxy");

  const auto& self = ctx.config().server;
  const std::string name = opts.name.empty() ? self.name : opts.name;
  auto& store = ctx.store();
  // An administrator may block a mitigation before emsd first runs: this
  // host's own server is created from the configuration, as emsd would.
  if (same_name(name, self.name) && !store.find_server(name))
    store.register_server(self.name, self.product, self.build);
  store.update_server(name, changes, ctx.user());
}

void add_get_server(CLI::App& app, context& ctx) {
  auto opts = std::make_shared<get_server_options>();
  auto* cmd = app.add_subcommand(
      "get-server",
      "Show servers' settings (Get-ExchangeServer | Format-List): all servers when NAME is "
      "omitted");
  cmd->add_option("NAME", opts->name, "Server name (any case)");
  cmd->add_flag("--json", opts->json, "Print JSON: an array, or one object when NAME is given");
  cmd->add_option("--property", opts->properties,
                  "Properties to show, in this order (e.g. Name,MitigationsApplied)")
      ->delimiter(',');
  cmd->callback([opts, &ctx] { run_get_server(*opts, ctx); });
}

void add_set_server(CLI::App& app, context& ctx) {
  auto opts = std::make_shared<set_server_options>();
  auto* cmd = app.add_subcommand(
      "set-server",
      "Change a server's settings (Set-ExchangeServer). MitigationsApplied is written by the "
      "service only and cannot be set");
  cmd->add_option("NAME", opts->name, "Server name (default: server.name of the configuration)");
  // "--blocked=" and "--internet-web-proxy=" clear: main() passes them on as
  // the option with an empty value.
  opts->mitigations_enabled_opt =
      cmd->add_option("--mitigations-enabled", opts->mitigations_enabled,
                      "true or false; false: no mitigation is applied on this server");
  opts->blocked_opt = cmd->add_option(
      "--blocked", opts->blocked,
      "MitigationsBlocked: Config IDs (M1) or action IDs (M1.2), comma-separated; the whole "
      "list is replaced, --blocked= clears it");
  opts->data_collection_enabled_opt =
      cmd->add_option("--data-collection-enabled", opts->data_collection_enabled,
                      "true or false: send diagnostic data to the feed");
  opts->internet_web_proxy_opt =
      cmd->add_option("--internet-web-proxy", opts->internet_web_proxy,
                      "http:// or https:// proxy URL for the feed; --internet-web-proxy= clears");
  // Hidden: only there to say why it is refused, rather than "not expected".
  opts->applied_opt =
      cmd->add_option("--mitigations-applied", opts->applied)->expected(0, 1)->group("");
  cmd->callback([opts, &ctx] { run_set_server(*opts, ctx); });
}

}  // namespace

void add_server_commands(CLI::App& app, context& ctx) {
  add_get_server(app, ctx);
  add_set_server(app, ctx);
  add_org_commands(app, ctx);
}

}  // namespace emctl
