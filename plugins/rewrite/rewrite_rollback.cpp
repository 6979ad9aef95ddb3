// rewrite_applier's rollback: it undoes what its apply recorded, and nothing else.
#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/xml_editor.hpp"
#include "plugins/rewrite/rewrite_applier.hpp"
#include "plugins/rewrite/rewrite_record.hpp"
#include "plugins/rewrite/rule_collection.hpp"
#include "plugins/rewrite/rule_view.hpp"
#include "plugins/rewrite/url_rewrite_rule.hpp"

namespace emrewrite {
namespace {

using emplugin::plugin_error;

// The rules named `name` in the collection at `path` of the file's own
// section, or of its <location> elements whose path is `location` as written.
std::vector<const xmlNode*> rules_at(const emplugin::xml_source& src,
                                     const std::vector<std::string>& path,
                                     const std::optional<std::string>& location,
                                     const std::string& name) {
  std::vector<const xmlNode*> roots;
  if (!location) roots.push_back(src.root());
  for (const xmlNode* l : emplugin::child_elements(src.root(), "location"))
    if (location && emplugin::attribute(l, "path").value_or("") == *location) roots.push_back(l);
  std::vector<const xmlNode*> out;
  for (const xmlNode* root : roots) {
    for (const xmlNode* section : emplugin::child_elements(root, path.front())) {
      const xmlNode* node = section;
      for (std::size_t i = 1; i < path.size() && node; ++i)
        node = emplugin::first_child(node, path[i]);
      for (const xmlNode* r : emplugin::child_elements(node, "rule"))
        if (emplugin::iequals(emplugin::attribute(r, "name").value_or(""), name)) out.push_back(r);
    }
  }
  return out;
}

std::optional<emplugin::xml_source> parse_if_exists(emservice::host_api& host,
                                                    const std::filesystem::path& file) {
  auto bytes = emplugin::read_if_exists(host, file);
  if (!bytes) return std::nullopt;
  return emplugin::xml_source::parse(std::move(*bytes), file.string());
}

}  // namespace

std::string rewrite_applier::do_rollback(const emservice::action& a) {
  auto rule = url_rewrite_rule::parse(a.value_xml);
  auto record = record_of(a);
  if (!record) return leave_unowned(a, rule);
  const std::string what = "the stored record of " + a.id;
  const std::string found = record->require("found", what);
  if (found == "absent") return undo_insert(a, rule, *record);
  if (found == "replaced") return undo_replace(a, rule, *record);
  throw plugin_error(what + " says found '" + found + "', which this version does not know");
}

std::optional<emplugin::stored_record> rewrite_applier::record_of(
    const emservice::action& a) const {
  if (auto text = host_->load_value(record_key(a)))
    return emplugin::stored_record::decode(*text, "the stored record of " + a.id);
  // An earlier version recorded only the sections it created, under the
  // target's current file: what it created, it wrote.
  try {
    rule_view view(a, tree_, *host_);
    if (auto created = host_->load_value(legacy_created_key(a, view.primary().path)))
      return inserted_record(view.primary().path, *created);
  } catch (const plugin_error&) {
    // The target no longer resolves: there is no such record to find.
  }
  return std::nullopt;
}

void rewrite_applier::forget(const emservice::action& a) {
  host_->erase_value(record_key(a));
  try {
    rule_view view(a, tree_, *host_);
    host_->erase_value(legacy_created_key(a, view.primary().path));
  } catch (const plugin_error&) {
  }
}

std::string rewrite_applier::leave_unowned(const emservice::action& a,
                                           const url_rewrite_rule& rule) {
  const std::string label = "rule '" + rule.name() + "'";
  rule_view view(a, tree_, *host_);
  const auto found = view.effective(rule.name());
  if (found.empty()) return label + " is not in " + view.primary_where() + ": nothing to undo";
  std::string where;
  for (const auto& o : found)
    where += (where.empty() ? "" : "; ") + o.where;
  return label + " in " + where +
         " was not written by EM Service (it was there before the mitigation was applied, or "
         "was added by someone else): left in place";
}

std::string rewrite_applier::undo_insert(const emservice::action& a, const url_rewrite_rule& rule,
                                         const emplugin::stored_record& record) {
  const std::string what = "the stored record of " + a.id;
  const std::filesystem::path file = record.require("file", what);
  auto src = parse_if_exists(*host_, file);
  if (!src) {
    forget(a);
    return file.string() + " does not exist: nothing to undo";
  }
  rule_collection rules(&*src, file.string(), collection_path_of(a.scope), record.get("location"));
  file_edit edit = rules.without_rule(rule.name(), record.get("created").value_or(""));
  if (!edit.changed) {
    forget(a);
    return "rule '" + rule.name() + "' is not in " + rules.where() + ": nothing to undo";
  }
  std::string backup;
  if (edit.delete_file) {
    emplugin::clear_leftovers(*host_, file);
    backup = " (backup " + emplugin::write_backup(file, src->bytes()).string() + ")";
    emplugin::remove_file(file);
    emplugin::prune_backups(file, tree_.backups());
  } else {
    backup = write(file, src->bytes(), edit.content);
  }
  forget(a);
  return edit.summary + (edit.delete_file ? ", removing the file apply had created" : "") + backup;
}

std::string rewrite_applier::undo_replace(const emservice::action& a, const url_rewrite_rule& rule,
                                          const emplugin::stored_record& record) {
  const std::string what = "the stored record of " + a.id;
  const std::filesystem::path file = record.require("file", what);
  const std::string original = record.require("original", what);
  const std::string where = record.get("where").value_or(file.string());
  const std::string label = "rule '" + rule.name() + "'";
  auto src = parse_if_exists(*host_, file);
  const auto current =
      src ? rules_at(*src, collection_path_of(a.scope), record.get("location"), rule.name())
          : std::vector<const xmlNode*>{};
  if (current.empty()) {
    forget(a);
    return label + " is no longer in " + where +
           ": nothing to restore (the rule it had replaced is in the backups beside the file)";
  }
  const std::string now = emplugin::xml_editor(*src).raw(current.front());
  if (now == original) {
    forget(a);
    return label + " in " + where + " is already as it was before the mitigation";
  }
  if (!rule.same_as(current.front())) {
    forget(a);
    return label + " in " + where +
           " has been changed since the mitigation replaced it: left as it is (the rule it had "
           "replaced is in the backups beside the file)";
  }
  file_edit edit = with_bytes_at(*src, current.front(), original);
  const std::string backup = write(file, src->bytes(), edit.content);
  forget(a);
  return "put back the " + label + " that was in " + where +
         " before the mitigation replaced it, byte for byte" + backup;
}

}  // namespace emrewrite
