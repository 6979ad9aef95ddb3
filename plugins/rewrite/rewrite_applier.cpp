#include "plugins/rewrite/rewrite_applier.hpp"

#include <set>
#include <system_error>

#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/xml_editor.hpp"
#include "plugins/rewrite/rewrite_record.hpp"
#include "plugins/rewrite/rule_collection.hpp"
#include "plugins/rewrite/rule_view.hpp"
#include "plugins/rewrite/url_rewrite_rule.hpp"

namespace emrewrite {
namespace {

using emplugin::plugin_error;

// Without the module, a <rewrite> section makes IIS refuse every request.
void require_module(const rule_view& view) {
  if (!view.rewrite_installed())
    throw plugin_error(std::string(module_missing) + ": " + view.application_host().string() +
                       " declares no system.webServer/rewrite section group or no RewriteModule "
                       "in globalModules, and a <rewrite> section there would make IIS answer "
                       "500.19 to every request");
}

// A missing file is fine only where apply may create it, in a folder that exists.
void require_creatable(const rule_view& view) {
  const auto& file = view.primary().path;
  std::error_code ec;
  if (!view.primary_may_be_created())
    throw plugin_error("cannot read " + file.string() + ": no such file");
  if (!std::filesystem::is_directory(file.parent_path(), ec))
    throw plugin_error("the folder " + file.parent_path().string() +
                       " does not exist (from the site's physicalPath)");
}

std::string places(const std::vector<rule_occurrence>& found) {
  std::string out;
  for (const auto& o : found)
    out += (out.empty() ? "" : "; ") + o.where;
  return out;
}

}  // namespace

struct rewrite_applier::plan {
  std::filesystem::path file;
  std::optional<std::string> old;  // the file's bytes, when it exists
  file_edit edit;
  std::optional<emplugin::stored_record> record;  // what apply found, for rollback
};

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

emservice::check_result rewrite_applier::do_check(const emservice::action& a) {
  auto rule = url_rewrite_rule::parse(a.value_xml);
  rule_view view(a, tree_, *host_);
  require_module(view);
  const auto found = view.effective(rule.name());
  const std::string label = "rule '" + rule.name() + "'";
  if (found.size() == 1 && rule.same_as(found[0].rule))
    return {emservice::check_state::in_effect, label + " is in place in " + found[0].where};
  std::string state;
  if (found.empty()) {
    if (!view.primary().source) {
      require_creatable(view);
      return {emservice::check_state::not_in_effect,
              view.primary().path.string() + " does not exist"};
    }
    state = " is not there in " + view.primary_where();
  } else if (found.size() == 1) {
    state = " is in " + found[0].where + " but differs from the document's";
  } else {
    state = " is there more than once (" + places(found) + "), which IIS refuses (500.19)";
  }
  return {emservice::check_state::not_in_effect, label + state};
}

rewrite_applier::plan rewrite_applier::plan_apply(const emservice::action& a,
                                                  const url_rewrite_rule& rule,
                                                  const rule_view& view) const {
  const auto found = view.effective(rule.name());
  const std::string label = "rule '" + rule.name() + "'";
  plan p;
  if (found.empty()) {
    const auto& primary = view.primary();
    if (!primary.source) require_creatable(view);
    const emplugin::xml_source* source = primary.source ? &*primary.source : nullptr;
    const auto home = rule_collection::home(source, view.collection_path());
    rule_collection rules(source, primary.path.string(), view.collection_path(), home);
    p.file = primary.path;
    if (primary.source) p.old = primary.source->bytes();
    p.edit = rules.with_new_rule(rule);
    p.record = inserted_record(primary.path, p.edit.created, home);
    return p;
  }
  // Only ever one file, and only at the target's own level: a rule inherited
  // from above is not this target's to change, and a copy beside it is one
  // IIS would see twice.
  for (const auto& o : found)
    if (!o.own)
      throw plugin_error(
          "a rule named '" + rule.name() + "' is inherited by '" + a.target + "' from " + o.where +
          (rule.same_as(o.rule) ? "" : ", and differs") + "; another one for '" + a.target +
          "' would be a duplicate IIS refuses (500.19), so nothing was written" +
          (found.size() > 1
               ? " (it is there " + std::to_string(found.size()) + " times: " + places(found) + ")"
               : ""));
  std::set<std::size_t> files;
  for (const auto& o : found)
    files.insert(o.file);
  if (files.size() > 1)
    throw plugin_error(label + " is defined in several files IIS reads together for '" + a.target +
                       "' (" + places(found) +
                       "), which IIS refuses (500.19); nothing was written: keep one by hand");
  const auto& keeper = found.front();
  const auto& file = view.files()[keeper.file];
  std::vector<const xmlNode*> others;
  for (std::size_t i = 1; i < found.size(); ++i)
    others.push_back(found[i].rule);
  p.file = file.path;
  p.old = file.source->bytes();
  p.edit = with_rule_at(*file.source, rule, keeper.rule, others);
  const bool same = rule.same_as(keeper.rule);
  p.edit.summary = (same ? "kept " : "replaced ") + label + " in " + keeper.where;
  if (!others.empty())
    p.edit.summary += " and removed " + std::to_string(others.size()) +
                      " more of that name, which IIS would refuse as duplicates";
  if (!same)
    p.record = replaced_record(file.path, keeper.location, keeper.where,
                               emplugin::xml_editor(*file.source).raw(keeper.rule));
  return p;
}

std::string rewrite_applier::do_apply(const emservice::action& a) {
  auto rule = url_rewrite_rule::parse(a.value_xml);
  rule_view view(a, tree_, *host_);
  require_module(view);
  const auto found = view.effective(rule.name());
  if (found.size() == 1 && rule.same_as(found[0].rule))
    return "rule '" + rule.name() + "' is already in place in " + found[0].where;
  plan p = plan_apply(a, rule, view);
  if (!p.edit.changed)
    return "rule '" + rule.name() + "' is already in place in " + view.primary_where();

  // What is written must read back, with everything else IIS reads, as
  // exactly this rule, once.
  rule_view after(a, tree_, *host_, {{p.file, p.edit.content}});
  const auto now = after.effective(rule.name());
  if (now.size() != 1 || !rule.same_as(now[0].rule))
    throw plugin_error("internal: the edited " + p.file.string() +
                       " would not hold the rule as given; nothing was written");

  // Recorded before the file changes, and only the first time: a later apply
  // (after someone changed the rule again) must not forget what was there
  // before the service came.
  const std::string key = record_key(a);
  const bool remember = p.record && !host_->load_value(key);
  if (remember) host_->save_value(key, p.record->encode());
  std::string backup;
  try {
    backup = write(p.file, p.old, p.edit.content);
  } catch (...) {
    if (remember) host_->erase_value(key);
    throw;
  }
  return p.edit.summary + backup;
}

std::string rewrite_applier::write(const std::filesystem::path& file,
                                   const std::optional<std::string>& old,
                                   const std::string& content) {
  emplugin::clear_leftovers(*host_, file);
  auto backup = emplugin::write_with_backup(*host_, file, old, content, tree_.backups());
  return backup.empty() ? " (new file)" : " (backup " + backup.string() + ")";
}

}  // namespace emrewrite
