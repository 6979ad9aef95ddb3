#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <emservice/plugin.hpp>

#include "plugins/common/iis_tree.hpp"
#include "plugins/common/plugin_entry.hpp"
#include "plugins/common/stored_record.hpp"

namespace emrewrite {

class rule_view;
class url_rewrite_rule;

// UrlRewrite: puts an IIS URL Rewrite rule into the web.config of the
// action's site or virtual directory (scope Site, VDir), or into
// applicationHost.config's globalRules (scope Server), seeing every place IIS
// reads rules from for that target (rule_view). Before it changes anything it
// records what it found (the rule was absent, or the bytes of the same-named
// rule it replaces); rollback undoes exactly that and leaves alone a rule it
// did not write (SPEC 10).
class rewrite_applier final : public emplugin::guarded_applier {
 public:
  static std::unique_ptr<rewrite_applier> create(const emservice::host_context& context);

 protected:
  void do_validate(const emservice::action& a) override;
  emservice::check_result do_check(const emservice::action& a) override;
  std::string do_apply(const emservice::action& a) override;
  std::string do_rollback(const emservice::action& a) override;

 private:
  // A change apply means to make: one file, and what it found there.
  struct plan;

  rewrite_applier(emplugin::iis_tree tree, emservice::host_api* host)
      : tree_(std::move(tree)), host_(host) {}

  plan plan_apply(const emservice::action& a, const url_rewrite_rule& rule,
                  const rule_view& view) const;
  // What apply recorded for this action, if anything (also from before this
  // record existed: the sections apply had created).
  std::optional<emplugin::stored_record> record_of(const emservice::action& a) const;
  std::string undo_insert(const emservice::action& a, const url_rewrite_rule& rule,
                          const emplugin::stored_record& record);
  std::string undo_replace(const emservice::action& a, const url_rewrite_rule& rule,
                           const emplugin::stored_record& record);
  // Rollback without a record: the rule (if any) is not the service's.
  std::string leave_unowned(const emservice::action& a, const url_rewrite_rule& rule);
  void forget(const emservice::action& a);
  // Backup, atomic replace, old backups pruned; leftovers of an interrupted
  // edit removed first. Returns " (backup …)" for the message.
  std::string write(const std::filesystem::path& file, const std::optional<std::string>& old,
                    const std::string& content);

  emplugin::iis_tree tree_;
  emservice::host_api* host_;
};

}  // namespace emrewrite
