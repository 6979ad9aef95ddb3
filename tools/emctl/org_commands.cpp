#include "tools/emctl/org_commands.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "core/store/server_settings.hpp"
#include "tools/emctl/emctl_context.hpp"
#include "tools/emctl/setting_options.hpp"

namespace emctl {
namespace {

struct get_org_options {
  bool json = false;
};

struct set_org_options {
  std::string mitigations_enabled;
};

void run_get_org(const get_org_options& opts, context& ctx) {
  const auto org = ctx.store().get_org();
  if (opts.json) {
    nlohmann::ordered_json out;
    out["OrganizationId"] = org.organization_id;
    out["MitigationsEnabled"] = org.mitigations_enabled;
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "OrganizationId : " << org.organization_id << "\n"
            << "MitigationsEnabled : " << em::setting_text(org.mitigations_enabled) << "\n";
}

void run_set_org(const set_org_options& opts, context& ctx) {
  const bool enabled = parse_bool_option(opts.mitigations_enabled, "--mitigations-enabled");
  ctx.store().set_org_mitigations_enabled(enabled, ctx.user());
}

}  // namespace

void add_org_commands(CLI::App& app, context& ctx) {
  auto get_opts = std::make_shared<get_org_options>();
  auto* get = app.add_subcommand(
      "get-org",
      "Show the organisation's settings (Get-OrganizationConfig): OrganizationId, "
      "MitigationsEnabled");
  get->add_flag("--json", get_opts->json, "Print a JSON object");
  get->callback([get_opts, &ctx] { run_get_org(*get_opts, ctx); });

  auto set_opts = std::make_shared<set_org_options>();
  auto* set = app.add_subcommand(
      "set-org",
      "Change the organisation's MitigationsEnabled (Set-OrganizationConfig). When false, no "
      "mitigation is applied on any server; the service still checks on schedule");
  set->add_option("--mitigations-enabled", set_opts->mitigations_enabled, "true or false")
      ->required();
  set->callback([set_opts, &ctx] { run_set_org(*set_opts, ctx); });
}

}  // namespace emctl
