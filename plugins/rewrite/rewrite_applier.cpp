#include "plugins/rewrite/rewrite_applier.hpp"

#include <system_error>

#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/rewrite/rule_collection.hpp"
#include "plugins/rewrite/url_rewrite_rule.hpp"

namespace emrewrite {
namespace {

using emplugin::plugin_error;

// Where the store remembers which sections apply created, so rollback removes
// them too and leaves the file as it found it.
std::string created_key(const emservice::action& a, const std::filesystem::path& file) {
  return "created " + a.id + " " + file.string();
}

std::string state_text(rule_state s) {
  switch (s) {
    case rule_state::absent:
      return "is not there";
    case rule_state::identical:
      return "is in place";
    case rule_state::different:
      return "is there but differs from the document's";
    case rule_state::duplicated:
      return "is there more than once";
  }
  return "";
}

}  // namespace

std::unique_ptr<rewrite_applier> rewrite_applier::create(const emservice::host_context& context) {
  // It takes no settings: its descriptor declares none, so the loader has
  // refused any [plugins.rewrite] key already.
  return std::unique_ptr<rewrite_applier>(
      new rewrite_applier(emplugin::iis_tree(context.iis), context.host));
}

void rewrite_applier::do_validate(const emservice::action& a) {
  if (a.type != "UrlRewrite")
    throw plugin_error("the rewrite plugin handles UrlRewrite, not '" + a.type + "'");
  const std::string target = emplugin::trim(a.target);
  if (a.scope == "Server") {
    if (!target.empty())
      throw plugin_error(
          "scope Server writes applicationHost.config's globalRules and takes no "
          "target (got '" +
          target + "')");
  } else if (a.scope == "Site") {
    if (target.empty() || target.find('/') != std::string::npos)
      throw plugin_error(
          "scope Site needs a site name as target, such as 'Default Web Site' "
          "(got '" +
          target + "')");
  } else if (a.scope == "VDir") {
    auto slash = target.find('/');
    if (slash == std::string::npos || slash == 0 || emplugin::trim(target.substr(slash)) == "/")
      throw plugin_error("scope VDir needs a target such as 'Default Web Site/owa' (got '" +
                         target + "')");
  } else {
    throw plugin_error("a UrlRewrite action needs scope Server, Site or VDir (got '" + a.scope +
                       "')");
  }
  url_rewrite_rule::parse(a.value_xml);
}

rewrite_applier::destination rewrite_applier::locate(const emservice::action& a) const {
  if (a.scope == "Server")
    return {tree_.application_host(), {"system.webServer", "rewrite", "globalRules"}, false};
  auto where = tree_.resolve(emplugin::trim(a.target), *host_);
  return {where.web_config, {"system.webServer", "rewrite", "rules"}, true};
}

void rewrite_applier::require_creatable(const destination& dest) const {
  std::error_code ec;
  if (!dest.may_create) throw plugin_error("cannot read " + dest.file.string() + ": no such file");
  if (!std::filesystem::is_directory(dest.file.parent_path(), ec))
    throw plugin_error("the folder " + dest.file.parent_path().string() +
                       " does not exist (from the site's physicalPath)");
}

emservice::check_result rewrite_applier::do_check(const emservice::action& a) {
  auto rule = url_rewrite_rule::parse(a.value_xml);
  auto dest = locate(a);
  auto bytes = emplugin::read_if_exists(*host_, dest.file);
  if (!bytes) {
    require_creatable(dest);
    return {emservice::check_state::not_in_effect, dest.file.string() + " does not exist"};
  }
  rule_collection rules(std::move(bytes), dest.file.string(), dest.path);
  auto state = rules.state(rule);
  return {state == rule_state::identical ? emservice::check_state::in_effect
                                         : emservice::check_state::not_in_effect,
          "rule '" + rule.name() + "' " + state_text(state) + " in " + rules.where()};
}

std::string rewrite_applier::do_apply(const emservice::action& a) {
  auto rule = url_rewrite_rule::parse(a.value_xml);
  auto dest = locate(a);
  auto bytes = emplugin::read_if_exists(*host_, dest.file);
  if (!bytes) require_creatable(dest);
  rule_collection rules(bytes, dest.file.string(), dest.path);
  file_edit edit = rules.with_rule(rule);
  if (!edit.changed) return "rule '" + rule.name() + "' is already in place in " + rules.where();

  // What is written must read back as exactly this rule, once.
  rule_collection after(edit.content, dest.file.string(), dest.path);
  if (after.state(rule) != rule_state::identical)
    throw plugin_error("internal: the edited " + dest.file.string() +
                       " would not hold the rule as given; nothing was written");

  const std::string key = created_key(a, dest.file);
  const bool remember = !edit.created.empty() && !host_->load_value(key);
  if (remember) host_->save_value(key, edit.created);
  std::filesystem::path backup;
  try {
    backup = emplugin::write_with_backup(*host_, dest.file, bytes, edit.content);
  } catch (...) {
    if (remember) host_->erase_value(key);
    throw;
  }
  return edit.summary + (backup.empty() ? " (new file)" : " (backup " + backup.string() + ")");
}

std::string rewrite_applier::do_rollback(const emservice::action& a) {
  auto rule = url_rewrite_rule::parse(a.value_xml);
  auto dest = locate(a);
  const std::string key = created_key(a, dest.file);
  auto bytes = emplugin::read_if_exists(*host_, dest.file);
  if (!bytes) {
    host_->erase_value(key);
    return dest.file.string() + " does not exist: nothing to undo";
  }
  rule_collection rules(bytes, dest.file.string(), dest.path);
  file_edit edit = rules.without_rule(rule.name(), host_->load_value(key).value_or(""));
  if (!edit.changed) {
    host_->erase_value(key);
    return "rule '" + rule.name() + "' is not in " + rules.where() + ": nothing to undo";
  }
  std::filesystem::path backup;
  if (edit.delete_file) {
    backup = emplugin::write_backup(*host_, dest.file, *bytes);
    emplugin::remove_file(dest.file);
  } else {
    backup = emplugin::write_with_backup(*host_, dest.file, bytes, edit.content);
  }
  host_->erase_value(key);
  return edit.summary + (edit.delete_file ? ", removing the file apply had created" : "") +
         " (backup " + backup.string() + ")";
}

}  // namespace emrewrite
