#include "plugins/apppool/apppool_applier.hpp"

#include <map>
#include <optional>
#include <utility>

#include "plugins/common/host_command.hpp"
#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/settings_reader.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/value_element.hpp"
#include "plugins/common/xml_editor.hpp"
#include "plugins/common/xml_source.hpp"

namespace emapppool {
namespace {

using emplugin::plugin_error;

const char* const auto_start = "autoStart";
const char* const start_mode = "startMode";

std::string pool_name(const emservice::action& a) {
  auto attrs =
      emplugin::parse_value_element(a.value_xml, "DisableAppPool", "AppPool", {"name"}, {"name"});
  const std::string name = emplugin::trim(attrs["name"]);
  if (name.size() > 64) throw plugin_error("<AppPool> name is longer than 64 characters");
  return name;
}

// applicationHost.config and the pool's <add> element in it.
struct pool_config {
  std::filesystem::path file;
  emplugin::xml_source source;
  const xmlNode* pool = nullptr;
  const xmlNode* defaults = nullptr;

  // As applicationHost.config spells it (the Value may differ in case).
  std::string name() const { return emplugin::attribute(pool, "name").value_or(""); }

  // The value IIS uses: the pool's own, else applicationPoolDefaults', else IIS's.
  std::string effective(const char* name, const char* iis_default) const {
    if (auto v = emplugin::attribute(pool, name)) return *v;
    return emplugin::attribute(defaults, name).value_or(iis_default);
  }
  bool disabled() const {
    return emplugin::iequals(effective(auto_start, "true"), "false") &&
           emplugin::iequals(effective(start_mode, "OnDemand"), "OnDemand");
  }
  // The attribute's bytes as written, or nothing when it is absent.
  std::optional<std::string> raw(const std::string& name) const {
    for (const auto& a : source.attributes(pool))
      if (a.name == name) return source.bytes().substr(a.value_begin, a.value_end - a.value_begin);
    return std::nullopt;
  }
};

pool_config load_pool(const emplugin::iis_tree& tree, emservice::host_api& host,
                      const std::string& name) {
  const auto file = tree.application_host();
  auto bytes = emplugin::read_if_exists(host, file);
  if (!bytes) throw plugin_error("cannot read " + file.string() + ": no such file");
  pool_config c{file, emplugin::xml_source::parse(std::move(*bytes), file.string())};
  const xmlNode* pools = emplugin::first_child(
      emplugin::first_child(c.source.root(), "system.applicationHost"), "applicationPools");
  for (const xmlNode* p : emplugin::child_elements(pools, "add"))
    if (emplugin::iequals(emplugin::attribute(p, "name").value_or(""), name)) c.pool = p;
  if (!c.pool)
    throw plugin_error("application pool '" + name + "' is not in " + file.string() +
                       " (system.applicationHost/applicationPools); nothing was changed");
  c.defaults = emplugin::first_child(pools, "applicationPoolDefaults");
  return c;
}

// The store keeps, for each attribute apply changed, its previous bytes or
// "-" for "absent" — and nothing for one it left alone: rollback restores
// only what the service changed.
std::string memo_key(const pool_config& c) {
  return "pool " + c.name();
}

using previous_values = std::map<std::string, std::optional<std::string>>;

std::string memo_of(const pool_config& c, const std::vector<std::string>& changed) {
  std::string out;
  for (const auto& name : changed) {
    auto v = c.raw(name);
    out += name + "=" + (v ? "\"" + *v + "\"" : "-") + "\n";
  }
  return out;
}

previous_values parse_memo(const std::string& memo, const std::string& pool) {
  previous_values out;
  for (std::size_t p = 0; p < memo.size();) {
    auto end = memo.find('\n', p);
    std::string line = memo.substr(p, end == std::string::npos ? end : end - p);
    p = end == std::string::npos ? memo.size() : end + 1;
    auto eq = line.find('=');
    std::string v = eq == std::string::npos ? std::string() : line.substr(eq + 1);
    const bool absent = v == "-";
    if (eq == std::string::npos ||
        (!absent && (v.size() < 2 || v.front() != '"' || v.back() != '"')))
      throw plugin_error("the stored previous values of application pool '" + pool +
                         "' are unreadable: " + emplugin::quoted(memo));
    out[line.substr(0, eq)] =
        absent ? std::nullopt : std::optional<std::string>(v.substr(1, v.size() - 2));
  }
  return out;
}

std::string write(const pool_config& c, const emplugin::xml_editor& edit, emservice::host_api& host,
                  std::size_t keep) {
  emplugin::clear_leftovers(host, c.file);
  return emplugin::write_with_backup(host, c.file, c.source.bytes(), edit.result(), keep).string();
}

}  // namespace

std::unique_ptr<apppool_applier> apppool_applier::create(const emservice::host_context& context) {
  emplugin::settings_reader settings(context);
  return std::unique_ptr<apppool_applier>(new apppool_applier(
      emplugin::iis_tree(context.iis), context.host, settings.command("stop_command"),
      settings.command("start_command"), settings.duration("timeout", std::chrono::seconds(60))));
}

void apppool_applier::do_validate(const emservice::action& a) {
  if (a.type != "DisableAppPool")
    throw plugin_error("the apppool plugin handles DisableAppPool, not '" + a.type + "'");
  pool_name(a);
}

emservice::check_result apppool_applier::do_check(const emservice::action& a) {
  auto c = load_pool(tree_, *host_, pool_name(a));
  const std::string state = "application pool '" + c.name() +
                            "' has autoStart=" + c.effective(auto_start, "true") +
                            ", startMode=" + c.effective(start_mode, "OnDemand");
  return {c.disabled() ? emservice::check_state::in_effect : emservice::check_state::not_in_effect,
          state};
}

std::string apppool_applier::run(const std::vector<std::string>& command, const std::string& pool,
                                 const std::string& done) const {
  if (command.empty()) return {};
  auto argv = emplugin::with_name(command, pool);
  auto r = emplugin::run_command(*host_, argv, timeout_);
  if (!r.ok()) throw plugin_error(done + ", but " + emplugin::describe_failure(argv, r));
  return "; ran '" + emplugin::command_text(argv) + "'";
}

std::string apppool_applier::do_apply(const emservice::action& a) {
  auto c = load_pool(tree_, *host_, pool_name(a));
  const std::string name = c.name();
  emplugin::xml_editor edit(c.source);
  std::vector<std::string> changed;
  for (const auto& [attr, value] :
       {std::pair<const char*, const char*>{auto_start, "false"}, {start_mode, "OnDemand"}})
    if (c.raw(attr) != std::optional<std::string>(value)) {
      edit.set_attribute(c.pool, attr, value);
      changed.push_back(attr);
    }
  std::string done = "application pool '" + name + "' has autoStart=false, startMode=OnDemand";
  if (edit.changed()) {
    // Kept before the file changes, and only the first time: a later apply
    // (after someone re-enabled the pool) must not forget the original values.
    if (!host_->load_value(memo_key(c))) host_->save_value(memo_key(c), memo_of(c, changed));
    done = "set autoStart=false and startMode=OnDemand on application pool '" + name + "' in " +
           c.file.string() + " (backup " + write(c, edit, *host_, tree_.backups()) + ")";
  }
  std::string ran = run(stop_, name, done);
  if (stop_.empty()) ran = "; no plugins.apppool.stop_command is configured, so it was not stopped";
  return done + ran;
}

std::string apppool_applier::do_rollback(const emservice::action& a) {
  auto c = load_pool(tree_, *host_, pool_name(a));
  const std::string name = c.name();
  const auto memo = host_->load_value(memo_key(c));
  if (!memo)
    return "EM Service has no record of changing application pool '" + name +
           "' (it was already disabled when the mitigation came, or was changed by someone "
           "else): left as it is, and not started";
  const auto previous = parse_memo(*memo, name);
  emplugin::xml_editor edit(c.source);
  std::string restored, kept;
  for (const auto& [attr, applied] :
       {std::pair<const char*, const char*>{auto_start, "false"}, {start_mode, "OnDemand"}}) {
    auto it = previous.find(attr);
    if (it == previous.end()) continue;  // apply left it alone
    // Changed again since apply: what the administrator set now stays.
    if (c.raw(attr) != std::optional<std::string>(applied)) {
      kept += std::string(kept.empty() ? "" : ", ") + attr;
      continue;
    }
    if (!it->second)
      edit.remove_attribute(c.pool, attr);
    else
      edit.set_attribute_raw(c.pool, attr, *it->second);
    restored += std::string(restored.empty() ? "" : ", ") + attr;
  }
  std::string done = "application pool '" + name + "': ";
  done += restored.empty() ? "nothing to restore" : "restored the previous " + restored;
  if (!kept.empty()) done += "; kept " + kept + ", changed since the mitigation";
  if (edit.changed())
    done += " in " + c.file.string() + " (backup " + write(c, edit, *host_, tree_.backups()) + ")";
  host_->erase_value(memo_key(c));
  // Started again only when it was set to start before the mitigation.
  auto was = previous.find(auto_start);
  const std::string before_auto =
      was == previous.end()
          ? "false"
          : was->second.value_or(emplugin::attribute(c.defaults, auto_start).value_or("true"));
  if (!emplugin::iequals(before_auto, "true"))
    return done + "; it was not set to start before the mitigation, so it is not started";
  std::string ran = run(start_, name, done);
  if (start_.empty())
    ran = "; no plugins.apppool.start_command is configured, so it was not started";
  return done + ran;
}

}  // namespace emapppool
