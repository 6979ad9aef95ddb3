#include "plugins/nginx/nginx_applier.hpp"

#include <system_error>

#include "core/rules/rule_parser.hpp"
#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/nginx/nginx_change.hpp"
#include "plugins/nginx/nginx_ownership.hpp"
#include "plugins/nginx/nginx_translation.hpp"

namespace emnginx {
namespace {

using emplugin::plugin_error;
namespace fs = std::filesystem;

// The folder's files besides the rules, with what they must hold.
std::vector<std::pair<fs::path, std::string>> common_files(const fs::path& folder) {
  return {{nginx_translation::common_file(folder), nginx_translation::common_text(folder)},
          {nginx_translation::script_file(folder), nginx_translation::script_text()}};
}

// The common files stay while a file of the folder reads what they set: one
// of the service's other rules, or an administrator's file.
bool common_needed(emservice::host_api& host, const fs::path& folder, const fs::path& rule_file,
                   const std::optional<std::string>& rule_after) {
  const fs::path common = nginx_translation::common_file(folder);
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    if (path.extension() != ".conf" || path == common) continue;
    const auto text = path == rule_file ? rule_after : emplugin::read_if_exists(host, path);
    if (text && (text->find("$emservice_") != std::string::npos ||
                 text->find("${emservice_") != std::string::npos))
      return true;
  }
  return false;
}

std::string file_list(const nginx_change& change) {
  std::string out;
  for (const auto& f : change.files())
    out +=
        (out.empty() ? "" : ", ") + std::string(f.after ? "wrote " : "removed ") + f.path.string();
  return out;
}

}  // namespace

std::unique_ptr<nginx_applier> nginx_applier::create(const emservice::host_context& context) {
  return std::unique_ptr<nginx_applier>(
      new nginx_applier(*context.host, nginx_settings::read(context)));
}

nginx_applier::plan nginx_applier::plan_for(const emservice::action& a) const {
  plan p{em::rules::parse_url_rewrite_rule(a.value_xml),
         em::rules::rule_target::of(a.scope, a.target),
         {},
         {},
         {}};
  p.folder = settings_.folder_of(p.target);
  p.rule_file = nginx_translation::rule_file(p.folder, a.id);
  p.rule_text = nginx_translation::rule_text(p.rule, p.target, a.id);
  return p;
}

void nginx_applier::do_validate(const emservice::action& a) {
  plan_for(a);
}

emservice::check_result nginx_applier::do_check(const emservice::action& a) {
  const plan p = plan_for(a);
  auto files = common_files(p.folder);
  files.emplace_back(p.rule_file, p.rule_text);
  for (const auto& [path, text] : files) {
    auto current = emplugin::read_if_exists(host_, path);
    if (!current) return {emservice::check_state::not_in_effect, path.string() + " does not exist"};
    if (*current != text)
      return {emservice::check_state::not_in_effect,
              path.string() + " differs from the rule's translation"};
  }
  return {emservice::check_state::in_effect,
          "rule \"" + p.rule.name + "\" is in " + p.rule_file.string()};
}

std::string nginx_applier::do_apply(const emservice::action& a) {
  const plan p = plan_for(a);
  nginx_change change(host_, settings_);
  for (const auto& [path, text] : common_files(p.folder))
    change.set(path, text);
  change.set(p.rule_file, p.rule_text);
  nginx_ownership ownership(host_);
  const file_records old_action = ownership.action(a.id);
  const folder_record old_folder = ownership.folder(p.folder);
  file_records action = old_action;
  folder_record folder = old_folder;
  folder.actions.insert(a.id);
  for (const auto& f : change.files())
    record(f.path == p.rule_file ? action : folder.files, f.path, f.before, *f.after);
  if (change.empty()) {
    ownership.save_folder(p.folder, folder);
    return "rule \"" + p.rule.name + "\" is already in " + p.rule_file.string();
  }
  // Recorded first: should emsd die half way, rollback still knows what was there.
  ownership.save_action(a.id, action);
  ownership.save_folder(p.folder, folder);
  try {
    change.commit();
  } catch (...) {
    ownership.save_action(a.id, old_action);
    ownership.save_folder(p.folder, old_folder);
    throw;
  }
  return file_list(change) + "; nginx -t passed and nginx reloaded";
}

std::string nginx_applier::do_rollback(const emservice::action& a) {
  const plan p = plan_for(a);
  nginx_ownership ownership(host_);
  file_records action = ownership.action(a.id);
  folder_record folder = ownership.folder(p.folder);
  nginx_change change(host_, settings_);
  std::string notes;
  const auto current = emplugin::read_if_exists(host_, p.rule_file);
  if (auto it = action.find(p.rule_file.string()); it != action.end()) {
    const file_record& r = it->second;
    if (current != r.written)
      notes = p.rule_file.string() + " changed since the service wrote it and is left as it is";
    else if (!r.services())
      notes = p.rule_file.string() + " was there before the service ran: not the service's, left";
    else
      change.set(p.rule_file, r.before);
  } else if (current == p.rule_text) {
    notes = p.rule_file.string() +
            " was there, identical, before the service ran: not the service's, left in place";
  }
  folder.actions.erase(a.id);
  std::optional<std::string> rule_after = current;
  for (const auto& f : change.files())
    if (f.path == p.rule_file) rule_after = f.after;
  if (folder.actions.empty() && !common_needed(host_, p.folder, p.rule_file, rule_after)) {
    for (const auto& [path, r] : folder.files)
      if (r.services() && emplugin::read_if_exists(host_, path) == r.written)
        change.set(path, r.before);
    folder.files.clear();
  }
  if (!change.empty()) change.commit();
  ownership.save_action(a.id, {});
  ownership.save_folder(p.folder, folder);
  if (change.empty())
    return notes.empty()
               ? "nothing of rule \"" + p.rule.name + "\" to roll back in " + p.folder.string()
               : notes;
  return file_list(change) + "; nginx -t passed and nginx reloaded" +
         (notes.empty() ? "" : "; " + notes);
}

}  // namespace emnginx
