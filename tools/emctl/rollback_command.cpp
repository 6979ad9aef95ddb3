// emctl rollback ACTION_ID: undoes one action of the last accepted document
// through its plugin (SPEC 7), the one-command form of the seed's manual
// removal steps ("remove the rule from the site in IIS Manager", "start the
// service or app pool again").
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "core/log/service_log.hpp"
#include "core/model/mitigation_document.hpp"
#include "core/notify/notifier.hpp"
#include "core/policy/action_decision.hpp"
#include "core/trust/document_verifier.hpp"
#include "core/trust/trust_settings.hpp"
#include "core/util/error.hpp"
#include "core/util/time_util.hpp"
#include "tools/emctl/accepted_document.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"
#include "tools/emctl/rollback_runner.hpp"

namespace emctl {
namespace {

struct located {
  const em::mitigation* config = nullptr;
  const em::mitigation_action* action = nullptr;
};

located find_action(const em::mitigation_document& doc, const std::string& id) {
  std::string known;
  for (const auto& m : doc.mitigations)
    for (const auto& a : m.actions) {
      if (a.id == id) return {&m, &a};
      known += (known.empty() ? "" : ", ") + a.id;
    }
  throw em::invalid_input("action " + id + " is not in the last accepted document (its actions: " +
                          (known.empty() ? std::string("none") : known) + ")");
}

std::string blocked_with(const std::vector<std::string>& blocked, const std::string& config_id) {
  std::string out;
  for (const auto& b : blocked)
    out += b + ",";
  return out + config_id;
}

// SPEC 4: the next cycle applies again what is applicable and not blocked.
void warn_if_it_comes_back(em::store& store, const em::service_config& config,
                           const em::mitigation_document& doc, const located& found) {
  auto server = store.find_server(config.server.name);
  if (!server) return;
  em::server_identity identity{config.server.name, config.server.product, std::nullopt};
  if (!config.server.build.empty()) identity.build = em::build_version::parse(config.server.build);
  for (const auto& d : em::decide_actions(doc, store.get_org(), *server, identity)) {
    if (d.action->id != found.action->id) continue;
    const std::string block = "emctl set-server " + server->name +
                              " --blocked=" + blocked_with(server->blocked, found.config->id);
    if (d.what == em::decision::apply)
      std::cout << found.action->id << " is still applicable and not blocked: the next check "
                << "cycle will apply it again. To keep it off, block it first: " << block << "\n";
    else if (d.what == em::decision::disabled)
      std::cout << "Mitigations are disabled (" << d.reason << "); when they are enabled again, "
                << found.action->id << " comes back unless blocked: " << block << "\n";
  }
}

// SPEC 14: [notify] hears of every rollback, done or failed. A notifier that
// fails is logged and said on stderr; the rollback's own result stands.
void notify_rollback(context& ctx, const em::mitigation_action& a, const emservice::outcome& result,
                     const std::string& proxy) {
  const auto& config = ctx.config();
  em::notifier notifier(config.notify);
  if (!notifier.enabled()) return;
  const auto now = std::chrono::system_clock::now();
  const std::string text = result.ok ? "Rolled back " + a.id : "Rollback of " + a.id + " failed";
  auto n = em::rollback_notification(
      config.server.name,
      {a.id, a.type, a.desc, result.ok ? "RolledBack" : "RollbackFailed", result.message},
      result.ok, text + (result.message.empty() ? "" : ": " + result.message), ctx.user(), now);
  em::service_log log(config.log.dir, config.log.level);
  for (const auto& why : notifier.send(n, proxy)) {
    log.write(
        em::log_record{em::log_operation::notify, em::log_level::error,
                       "Unable to notify of the Rollback on " + config.server.name + ": " + why},
        now);
    std::cerr << "emctl: warning: unable to notify of the rollback: " << why << "\n";
  }
}

void run_rollback(context& ctx, const std::string& action_id) {
  if (!em::is_valid_action_id(action_id))
    throw em::invalid_input("'" + action_id +
                            "' is not an action ID (<ConfigId>.<n>, for example M1.1)");
  const auto& config = ctx.config();
  auto& store = ctx.store();
  const std::string& server = config.server.name;
  if (!store.find_server(server))
    throw em::error("server " + server +
                    " is not registered in the store (emsd has not run here yet): nothing to "
                    "roll back");
  auto stored = store.load_document(server);
  if (!stored)
    throw em::error("no accepted mitigation document is stored for server " + server +
                    ": nothing to roll back");
  // Taken from the document as verified again now, never from the stored bytes as they are.
  const auto v = verify_accepted(config, *stored, "nothing was rolled back");
  const located found = find_action(v.document, action_id);
  const auto& a = *found.action;

  rollback_runner runner(config);
  auto result = runner.run({a.id, a.type, a.scope, a.target, a.desc, a.value_xml});
  store.append_audit(ctx.user(), server, "Rollback", a.id,
                     result.ok ? "Rolled back" : "Rollback failed: " + result.message);
  const auto record = store.find_server(server);
  notify_rollback(ctx, a, result, record ? record->internet_web_proxy : std::string());
  if (!result.ok) throw em::error("rollback of " + a.id + " failed: " + result.message);
  std::cout << "Rolled back " << a.id << " (" << a.type << (a.target.empty() ? "" : ", " + a.target)
            << ")" << (result.message.empty() ? "" : ": " + result.message) << "\n";
  warn_if_it_comes_back(store, config, v.document, found);
  ctx.exit_code = 0;
}

}  // namespace

void add_rollback_command(CLI::App& app, context& ctx) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "rollback", "Undo one action of the last accepted document through its plugin");
  cmd->add_option("ACTION_ID", *id, "The action, e.g. M1.1")->required();
  cmd->callback([&ctx, id] { run_rollback(ctx, *id); });
}

}  // namespace emctl
