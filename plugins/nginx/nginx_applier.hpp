#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <emservice/plugin.hpp>

#include "core/rules/rule_target.hpp"
#include "core/rules/url_rewrite_rule.hpp"
#include "plugins/common/plugin_entry.hpp"
#include "plugins/nginx/nginx_settings.hpp"

namespace emnginx {

// UrlRewrite on an nginx reverse proxy (SPEC 13): the action's IIS rule,
// translated by nginx_translation, as one include file in the folder the
// target's server blocks include, beside the folder's common files.
//
// Ownership (SPEC 10): before it changes a file, apply records in the store
// what the file held (or that it was absent); rollback puts back exactly
// that, and only where the file still holds what apply wrote. A rule file
// that was already there, identical, before the service ran is not the
// service's and stays; so do the common files while another rule of the
// folder needs them.
class nginx_applier final : public emplugin::guarded_applier {
 public:
  static std::unique_ptr<nginx_applier> create(const emservice::host_context& context);

 protected:
  void do_validate(const emservice::action& a) override;
  emservice::check_result do_check(const emservice::action& a) override;
  std::string do_apply(const emservice::action& a) override;
  std::string do_rollback(const emservice::action& a) override;

 private:
  // Everything one action needs, from a valid Value.
  struct plan {
    em::rules::url_rewrite_rule rule;
    em::rules::rule_target target;
    std::filesystem::path folder;
    std::filesystem::path rule_file;
    std::string rule_text;
  };

  nginx_applier(emservice::host_api& host, nginx_settings settings)
      : host_(host), settings_(std::move(settings)) {}

  plan plan_for(const emservice::action& a) const;

  emservice::host_api& host_;
  nginx_settings settings_;
};

}  // namespace emnginx
