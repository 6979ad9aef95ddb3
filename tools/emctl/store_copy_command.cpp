// emctl store copy --from sqlite:PATH --to etcd (SPEC 11): moves an existing
// SQLite store into the organisation's etcd prefix ([store.etcd]).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "core/store/etcd/etcd_store.hpp"
#include "core/store/store_copy.hpp"
#include "core/util/error.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace emctl {
namespace {

struct copy_options {
  std::string from;
  std::string to;
};

void run_store_copy(const copy_options& opts, context& ctx) {
  const std::string scheme = "sqlite:";
  if (opts.from.rfind(scheme, 0) != 0 || opts.from.size() == scheme.size())
    throw em::invalid_input("--from must be sqlite:PATH (the SQLite store to copy), not '" +
                            opts.from + "'");
  if (opts.to != "etcd")
    throw em::invalid_input("--to must be etcd (the [store.etcd] of the configuration), not '" +
                            opts.to + "'");
  const auto& config = ctx.config();
  if (!config.store.etcd)
    throw em::invalid_input(config.source.string() +
                            ": no [store.etcd] table: say where to copy to (endpoints, prefix)");
  const std::filesystem::path file = opts.from.substr(scheme.size());
  auto target = em::open_etcd_store(*config.store.etcd);
  const auto copied = em::copy_sqlite_to_etcd(file, *target);
  target->append_audit(ctx.user(), "Organization", "StoreCopy", opts.from,
                       "etcd " + config.store.etcd->prefix);
  std::cout << "Copied organisation " << copied.organization_id << " from " << opts.from
            << " to etcd prefix " << config.store.etcd->prefix << ": " << copied.servers
            << " server(s), " << copied.statuses << " action status(es), " << copied.documents
            << " document(s), " << copied.plugin_values << " plugin value(s), "
            << copied.audit_entries << " audit entr" << (copied.audit_entries == 1 ? "y" : "ies")
            << "\n";
}

}  // namespace

void add_store_commands(CLI::App& app, context& ctx) {
  auto* store = app.add_subcommand("store", "Manage the store itself");
  store->require_subcommand(1);
  auto opts = std::make_shared<copy_options>();
  auto* copy = store->add_subcommand(
      "copy",
      "Copy an existing SQLite store (settings, statuses, documents, audit history) into the "
      "organisation's etcd prefix of [store.etcd], which must be empty");
  copy->add_option("--from", opts->from, "sqlite:PATH, the store to copy")->required();
  copy->add_option("--to", opts->to, "etcd")->required();
  copy->callback([opts, &ctx] { run_store_copy(*opts, ctx); });
}

}  // namespace emctl
