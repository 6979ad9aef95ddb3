// emctl plugins [--json]: the plugins this server's emsd loads, as its plugin
// worker loads them (same folder, settings and checks): each one's file,
// action types, ABI version and settings with their types, defaults and
// descriptions, and the files refused with the reason.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "core/plugin/worker/plugin_client.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace emctl {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string abi_of(const em::plugin_info& p) {
  return std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor);
}

nlohmann::ordered_json plugins_json(const em::worker::hello& loaded,
                                    const std::filesystem::path& dir) {
  auto plugins = nlohmann::ordered_json::array();
  for (const auto& p : loaded.plugins) {
    auto settings = nlohmann::ordered_json::array();
    for (const auto& s : p.settings)
      settings.push_back({{"Key", s.key},
                          {"Type", em::to_string(s.type)},
                          {"Default", s.default_value ? nlohmann::ordered_json(*s.default_value)
                                                      : nlohmann::ordered_json(nullptr)},
                          {"Description", s.description}});
    plugins.push_back({{"Name", p.name},
                       {"File", p.file.string()},
                       {"AbiVersion", abi_of(p)},
                       {"ActionTypes", p.action_types},
                       {"Settings", std::move(settings)}});
  }
  auto disabled = nlohmann::ordered_json::array();
  for (const auto& p : loaded.disabled)
    disabled.push_back(
        {{"Name", p.name}, {"File", p.file.string()}, {"ActionTypes", p.action_types}});
  auto refused = nlohmann::ordered_json::array();
  for (const auto& p : loaded.problems)
    refused.push_back({{"File", p.file.string()},
                       {"Name", p.name},
                       {"ActionTypes", p.action_types},
                       {"Reason", p.reason}});
  return {{"Directory", dir.string()},
          {"Plugins", plugins},
          {"Disabled", disabled},
          {"Refused", refused},
          {"Conflicts", loaded.conflicts}};
}

void print_text(const em::worker::hello& loaded, const std::filesystem::path& dir) {
  std::cout << "Plugin directory: " << dir.string() << "\n";
  if (loaded.plugins.empty()) std::cout << "\nNo plugin is loaded.\n";
  for (const auto& p : loaded.plugins) {
    std::cout << "\n"
              << p.name << " (" << p.file.filename().string() << ", ABI " << abi_of(p) << ")\n"
              << "  Action types: " << joined(p.action_types) << "\n";
    if (p.settings.empty()) {
      std::cout << "  Settings: none\n";
      continue;
    }
    std::cout << "  Settings ([plugins." << p.name << "]):\n";
    for (const auto& s : p.settings)
      std::cout << "    " << s.key << " (" << em::to_string(s.type) << ", "
                << (s.default_value ? "default " + *s.default_value : std::string("no default"))
                << ")" << (s.description.empty() ? "" : ": " + s.description) << "\n";
  }
  if (!loaded.disabled.empty()) {
    std::cout << "\nNot in [plugins] enable:\n";
    for (const auto& p : loaded.disabled)
      std::cout << "  " << p.name << " (" << p.file.filename().string() << ", "
                << joined(p.action_types) << ")\n";
  }
  if (!loaded.problems.empty()) {
    std::cout << "\nRefused:\n";
    for (const auto& p : loaded.problems)
      std::cout << "  " << p.file.filename().string() << ": " << p.reason << "\n";
  }
  // emsd does not start while two enabled plugins claim one type.
  for (const auto& c : loaded.conflicts)
    std::cout << "\nConflict: " << c << "\n";
}

void list_plugins(context& ctx, bool json) {
  const auto& config = ctx.config();
  // Plugins are created as emsd creates them, their values read where emsd
  // keeps them; before the store exists, in memory, so nothing is created.
  em::plugin_client plugins(em::worker_setup_of(config, ctx.existing_store() != nullptr),
                            em::find_plugin_worker(), nullptr);
  plugins.start();
  if (json)
    std::cout << plugins_json(plugins.loaded(), config.plugins.dir).dump(2) << "\n";
  else
    print_text(plugins.loaded(), config.plugins.dir);
  ctx.exit_code = 0;
}

}  // namespace

void add_plugins_command(CLI::App& app, context& ctx) {
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "plugins",
      "List the plugins emsd loads: their action types, ABI version and settings (with types, "
      "defaults and descriptions), and the plugin files it refuses, with the reason");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&ctx, json] { list_plugins(ctx, *json); });
}

}  // namespace emctl
