#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "plugins/common/iis_tree.hpp"
#include "plugins/common/xml_source.hpp"

namespace emrewrite {

// Below <configuration>: system.webServer/rewrite/globalRules for scope
// Server, system.webServer/rewrite/rules otherwise.
std::vector<std::string> collection_path_of(const std::string& scope);

// One configuration file IIS reads for a target; nothing when it does not exist.
struct config_file {
  std::filesystem::path path;
  std::optional<emplugin::xml_source> source;
};

// A rule of the name asked for, where IIS sees it for the target.
struct rule_occurrence {
  std::size_t file = 0;  // in rule_view::files()
  const xmlNode* rule = nullptr;
  std::optional<std::string> location;  // the path of its <location> as written, if in one
  bool own = true;                      // at the target's level; false: inherited from above
  std::string where;  // "<file> (<location path="…"> system.webServer/rewrite/rules)"
};

// The whole IIS picture of one UrlRewrite target (SPEC 10): every rule
// collection IIS merges for it, in IIS's order. For a site or virtual
// directory: the server level of applicationHost.config (its own
// system.webServer and <location path="">), then for the site and each
// application or virtual directory down to the target: applicationHost.config's
// <location path="Site/…">, the <location path="…"> of the web.config files
// above, and the web.config of that folder (its own section and its
// <location> without a path). For scope Server: applicationHost.config's
// globalRules. A <clear/> drops what came before it, a <remove name> that name.
class rule_view {
 public:
  using overrides = std::map<std::filesystem::path, std::string>;

  // Reads the files through `host`; `replaced` gives some of them other
  // bytes (an edit not yet written, to check it before it is). Throws
  // plugin_error when a file that matters cannot be read or parsed.
  rule_view(const emservice::action& a, const emplugin::iis_tree& tree, emservice::host_api& host,
            const overrides& replaced = {});

  const std::vector<config_file>& files() const { return files_; }
  // Where a new rule goes: the target's web.config, or applicationHost.config for Server.
  const config_file& primary() const { return files_.front(); }
  bool primary_may_be_created() const { return may_create_; }
  // Below <configuration>: system.webServer/rewrite/rules (or globalRules).
  const std::vector<std::string>& collection_path() const { return path_; }
  // What the primary's own collection is called in messages.
  std::string primary_where() const;

  // The IIS URL Rewrite module is declared in applicationHost.config.
  bool rewrite_installed() const { return rewrite_installed_; }
  const std::filesystem::path& application_host() const { return files_[app_host_].path; }

  // The rules named `name` (compared as IIS does, without regard to case)
  // that IIS sees for the target, in the order it merges them.
  std::vector<rule_occurrence> effective(const std::string& name) const;

 private:
  struct collection_ref {
    std::size_t file;
    const xmlNode* collection;
    std::optional<std::string> location;
    bool own;
  };

  std::size_t add_file(const std::filesystem::path& path, emservice::host_api& host,
                       const overrides& replaced);
  // The collections of `section` (a system.webServer element).
  void add_section(std::size_t file, const xmlNode* section, const xmlNode* location, bool own);
  // The file's own sections and its <location> elements whose path is `relative`.
  void add_locations(std::size_t file, const std::string& relative, bool own, bool top_level);

  std::vector<config_file> files_;
  std::size_t app_host_ = 0;
  bool may_create_ = false;
  bool rewrite_installed_ = false;
  std::vector<std::string> path_;
  std::vector<collection_ref> merged_;
};

}  // namespace emrewrite
