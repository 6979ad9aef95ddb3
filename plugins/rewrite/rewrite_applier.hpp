#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "plugins/common/iis_tree.hpp"
#include "plugins/common/plugin_entry.hpp"

namespace emrewrite {

// UrlRewrite: puts an IIS URL Rewrite rule into the web.config of the
// action's site or virtual directory (scope Site, VDir), or into
// applicationHost.config's globalRules (scope Server); rollback takes it out.
class rewrite_applier final : public emplugin::guarded_applier {
 public:
  static std::unique_ptr<rewrite_applier> create(const emservice::host_context& context);

 protected:
  void do_validate(const emservice::action& a) override;
  emservice::check_result do_check(const emservice::action& a) override;
  std::string do_apply(const emservice::action& a) override;
  std::string do_rollback(const emservice::action& a) override;

 private:
  struct destination {
    std::filesystem::path file;
    std::vector<std::string> path;  // of the rule collection below <configuration>
    bool may_create = false;        // a web.config may be created; applicationHost.config not
  };

  rewrite_applier(emplugin::iis_tree tree, emservice::host_api* host)
      : tree_(std::move(tree)), host_(host) {}
  destination locate(const emservice::action& a) const;
  // A missing file is fine only where apply may create it, in a folder that exists.
  void require_creatable(const destination& dest) const;

  emplugin::iis_tree tree_;
  emservice::host_api* host_;
};

}  // namespace emrewrite
