// emctl plan [--document FILE] [--json]: what the next check cycle would do on
// this server, action by action (SPEC 14), asking the plugins only to
// validate and check, through the plugin worker as emsd does. Nothing on the
// host or in the store changes; before emsd's first run, it plans with the
// defaults the first cycle would use.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "core/plugin/worker/plugin_client.hpp"
#include "core/policy/action_plan.hpp"
#include "core/util/error.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"
#include "tools/emctl/next_document.hpp"
#include "tools/emctl/table_text.hpp"

namespace emctl {
namespace {

struct plan_options {
  std::string document;
  bool json = false;
};

em::server_identity identity_of(const em::service_config& c) {
  em::server_identity id{c.server.name, c.server.product, std::nullopt};
  if (!c.server.build.empty()) id.build = em::build_version::parse(c.server.build);
  return id;
}

server_history history_of(context& ctx) {
  server_history h;
  if (auto* store = ctx.existing_store()) {
    h.server = store->find_server(ctx.config().server.name);
    if (h.server) h.last = store->load_document(h.server->name);
  }
  return h;
}

// What the first cycle would use for a server emsd has not registered yet.
em::server_record server_or_default(const server_history& h, const em::service_config& c) {
  if (h.server) return *h.server;
  em::server_record s;
  s.name = c.server.name;
  s.product = c.server.product;
  s.build = c.server.build;
  return s;
}

std::string document_line(const next_document& next) {
  const auto& v = next.verification;
  std::string s = "Document: " + next.source + (next.not_modified ? " (not modified)" : "") +
                  ", sequence " +
                  (v.document.sequence ? std::to_string(*v.document.sequence) : "none") +
                  ", signed by " + v.signer_subject;
  return s;
}

void print(const em::server_record& server, const em::service_config& c, const next_document& next,
           const std::vector<em::planned_action>& plan, bool json) {
  const auto& v = next.verification;
  if (json) {
    nlohmann::ordered_json doc = {{"Source", next.source},
                                  {"NotModified", next.not_modified},
                                  {"Sequence", nullptr},
                                  {"Signer", v.signer_subject},
                                  {"Digest", v.digest}};
    if (v.document.sequence) doc["Sequence"] = *v.document.sequence;
    auto actions = nlohmann::ordered_json::array();
    for (const auto& p : plan)
      actions.push_back({{"ID", p.id},
                         {"Type", p.type},
                         {"Description", p.description},
                         {"Plan", em::to_string(p.verdict)},
                         {"Reason", p.reason}});
    nlohmann::ordered_json out = {{"Server", server.name},
                                  {"Product", c.server.product},
                                  {"Build", c.server.build},
                                  {"Document", std::move(doc)},
                                  {"Actions", std::move(actions)}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "Server: " << server.name << " (" << c.server.product << " "
            << (c.server.build.empty() ? "build not configured" : c.server.build) << ")\n"
            << document_line(next) << "\n";
  if (plan.empty()) {
    std::cout << "The document has no action: the next cycle changes nothing.\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : plan)
    rows.push_back({p.id, p.type, em::to_string(p.verdict), p.reason});
  std::cout << "\n" << table_text({"ID", "Type", "Plan", "Reason"}, rows);
}

void run_plan(context& ctx, const plan_options& o) {
  const auto& config = ctx.config();
  const auto history = history_of(ctx);
  std::optional<std::filesystem::path> file;
  if (!o.document.empty()) file = o.document;
  auto next = fetch_next_document(config, history, file);
  if (!next.verification.verified) {
    std::cout << "Rejected: " << next.verification.reason << "\n"
              << "The next cycle would change nothing: it keeps everything as it is.\n";
    ctx.exit_code = 1;
    return;
  }
  // Plugin values are read where emsd keeps them; before the store exists
  // they live in memory, so nothing is created.
  em::plugin_client plugins(em::worker_setup_of(config, ctx.existing_store() != nullptr),
                            em::find_plugin_worker(), nullptr);
  plugins.start();
  // The next cycle would not run at all: emsd refuses to start (SPEC 13).
  if (!plugins.loaded().conflicts.empty()) throw em::error(plugins.loaded().conflicts.front());
  em::org_settings org;
  if (auto* store = ctx.existing_store()) org = store->get_org();
  const auto server = server_or_default(history, config);
  auto plan =
      em::plan_actions(next.verification.document, org, server, identity_of(config), plugins);
  print(server, config, next, plan, o.json);
  ctx.exit_code = 0;
}

}  // namespace

void add_plan_command(CLI::App& app, context& ctx) {
  auto options = std::make_shared<plan_options>();
  auto* cmd = app.add_subcommand(
      "plan",
      "Show what the next check cycle would do on this server, action by action, without "
      "changing anything (plugins are asked only to validate and check)");
  cmd->add_option("--document", options->document,
                  "Verify and plan this signed document instead of fetching the feed's")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--json", options->json, "Print JSON");
  cmd->callback([&ctx, options] { run_plan(ctx, *options); });
}

}  // namespace emctl
