// emctl get-mitigations and emctl audit (SPEC 7): what Get-Mitigations.ps1 and
// Search-AdminAuditLog show on the original service.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

#include "core/util/file_util.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"
#include "tools/emctl/table_text.hpp"

namespace emctl {
namespace {

struct mitigation_options {
  std::string server;
  std::string csv_file;
  bool json = false;
};

const std::vector<std::string> status_columns = {"Server", "ID",     "Type",   "Description",
                                                 "Status", "Reason", "Updated"};

std::vector<std::string> status_row(const em::action_status& s) {
  return {s.server,
          s.action_id,
          s.type,
          s.description,
          em::to_string(s.state),
          s.reason,
          em::format_rfc3339(s.updated)};
}

void write_csv(const std::string& file, const std::vector<em::action_status>& statuses) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : statuses)
    rows.push_back(status_row(s));
  em::write_file_atomic(file, csv_text(status_columns, rows));
  std::cout << "Exported " << statuses.size() << " mitigation status(es) to " << file << "\n";
}

void print_json(const std::vector<em::action_status>& statuses) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& s : statuses) {
    nlohmann::ordered_json o;
    auto row = status_row(s);
    for (size_t i = 0; i < status_columns.size(); ++i)
      o[status_columns[i]] = row[i];
    out.push_back(std::move(o));
  }
  std::cout << out.dump(2) << "\n";
}

void print_table(const std::vector<em::action_status>& statuses) {
  if (statuses.empty()) {
    std::cout << "No mitigation has been checked yet.\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : statuses) {
    auto row = status_row(s);
    rows.push_back({row[0], row[1], row[2], row[4], row[3], row[5]});
  }
  std::cout << table_text({"Server", "ID", "Type", "Status", "Description", "Reason"}, rows);
}

void get_mitigations(context& ctx, const mitigation_options& o) {
  // All servers of the store when none is named: they form the organisation.
  auto statuses = ctx.store().action_statuses(o.server);
  if (!o.csv_file.empty())
    write_csv(o.csv_file, statuses);
  else if (o.json)
    print_json(statuses);
  else
    print_table(statuses);
}

void audit(context& ctx, bool json) {
  auto entries = ctx.store().audit_log();
  const std::vector<std::string> keys = {"RunDate", "Caller",   "ObjectModified",
                                         "Setting", "OldValue", "NewValue"};
  auto values = [](const em::audit_entry& e) {
    return std::vector<std::string>{
        em::format_rfc3339_ms(e.at), e.user, e.target, e.setting, e.old_value, e.new_value};
  };
  if (json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& e : entries) {
      nlohmann::ordered_json o;
      auto v = values(e);
      for (size_t i = 0; i < keys.size(); ++i)
        o[keys[i]] = v[i];
      out.push_back(std::move(o));
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  bool first = true;
  for (const auto& e : entries) {
    if (!first) std::cout << "\n";
    first = false;
    auto v = values(e);
    for (size_t i = 0; i < keys.size(); ++i)
      std::cout << keys[i] << " : " << v[i] << "\n";
  }
}

}  // namespace

void add_mitigation_commands(CLI::App& app, context& ctx) {
  auto options = std::make_shared<mitigation_options>();
  auto* get = app.add_subcommand(
      "get-mitigations",
      "List each mitigation action's ID, type, description and status, per server (all servers "
      "of the store when --server is omitted), as Get-Mitigations.ps1 does");
  get->add_option("--server", options->server, "Only this server");
  auto* csv = get->add_option("--csv", options->csv_file, "Write the list to this CSV file");
  get->add_flag("--json", options->json, "Print JSON")->excludes(csv);
  get->callback([&ctx, options] { get_mitigations(ctx, *options); });

  auto json = std::make_shared<bool>(false);
  auto* audit_cmd = app.add_subcommand(
      "audit",
      "Show every change of an organisation or server setting and every administrator action, "
      "with who, when, the old and the new value (Search-AdminAuditLog)");
  audit_cmd->add_flag("--json", *json, "Print JSON");
  audit_cmd->callback([&ctx, json] { audit(ctx, *json); });
}

}  // namespace emctl
