#include "plugins/rewrite/rule_view.hpp"

#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"

namespace emrewrite {
namespace {

using emplugin::plugin_error;

// "Default Web Site/owa/" and "/Default Web Site//owa" are "Default Web Site/owa"; "." is "".
std::string normal_location(const std::string& path) {
  std::string out;
  for (char c : emplugin::trim(path)) {
    if (c == '/' && (out.empty() || out.back() == '/')) continue;
    out += c;
  }
  if (!out.empty() && out.back() == '/') out.pop_back();
  return out == "." ? std::string() : out;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t p = 0; p <= path.size();) {
    auto slash = path.find('/', p);
    if (slash == std::string::npos) slash = path.size();
    if (slash > p) out.push_back(path.substr(p, slash - p));
    p = slash + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i)
    out += (i > from ? "/" : "") + parts[i];
  return out;
}

}  // namespace

std::vector<std::string> collection_path_of(const std::string& scope) {
  if (scope == "Server") return {"system.webServer", "rewrite", "globalRules"};
  return {"system.webServer", "rewrite", "rules"};
}

rule_view::rule_view(const emservice::action& a, const emplugin::iis_tree& tree,
                     emservice::host_api& host, const overrides& replaced) {
  files_.reserve(8);
  path_ = collection_path_of(a.scope);
  if (a.scope == "Server") {
    app_host_ = add_file(tree.application_host(), host, replaced);
    if (!files_[app_host_].source)
      throw plugin_error("cannot read " + files_[app_host_].path.string() + ": no such file");
    rewrite_installed_ = emplugin::url_rewrite_installed(*files_[app_host_].source);
    add_locations(app_host_, "", true, true);
    return;
  }
  may_create_ = true;
  // applicationHost.config says where everything is; it goes second, the target's file first.
  const auto host_file = tree.application_host();
  config_file app_host{host_file, {}};
  auto it = replaced.find(host_file);
  if (it != replaced.end())
    app_host.source = emplugin::xml_source::parse(it->second, host_file.string());
  else
    app_host.source = tree.read_application_host(host);
  const emplugin::xml_source& config = *app_host.source;
  rewrite_installed_ = emplugin::url_rewrite_installed(config);

  const auto parts = segments(emplugin::trim(a.target));
  const auto target = tree.resolve(emplugin::trim(a.target), config);
  // The web.config of each level, when that level is an application or
  // virtual directory; a folder shared by several levels (owa and
  // owa/Calendar) counts at the deepest.
  std::vector<std::optional<std::filesystem::path>> level_file(parts.size());
  level_file.back() = target.web_config;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    try {
      level_file[i] = tree.resolve(joined(parts, 0, i + 1), config).web_config;
    } catch (const plugin_error&) {
      // A plain folder between two levels: IIS reads no web.config for it here.
    }
  }
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (std::size_t j = i + 1; j < parts.size() && level_file[i]; ++j)
      if (level_file[j] == level_file[i]) level_file[i].reset();

  std::vector<std::optional<std::size_t>> level_index(parts.size());
  level_index.back() = add_file(target.web_config, host, replaced);
  files_.push_back(std::move(app_host));
  app_host_ = files_.size() - 1;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i)
    if (level_file[i]) level_index[i] = add_file(*level_file[i], host, replaced);

  add_locations(app_host_, "", false, true);  // the server level
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool own = i + 1 == parts.size();
    add_locations(app_host_, joined(parts, 0, i + 1), own, false);
    for (std::size_t j = 0; j < i; ++j)
      if (level_index[j]) add_locations(*level_index[j], joined(parts, j + 1, i + 1), own, false);
    if (level_index[i]) add_locations(*level_index[i], "", own, true);
  }
}

std::size_t rule_view::add_file(const std::filesystem::path& path, emservice::host_api& host,
                                const overrides& replaced) {
  config_file f{path, {}};
  auto it = replaced.find(path);
  std::optional<std::string> bytes = it != replaced.end() ? std::optional<std::string>(it->second)
                                                          : emplugin::read_if_exists(host, path);
  if (bytes) {
    f.source = emplugin::xml_source::parse(std::move(*bytes), path.string());
    if (emplugin::name_of(f.source->root()) != "configuration")
      throw plugin_error(path.string() + " has root element <" +
                         emplugin::name_of(f.source->root()) + ">, not <configuration>");
  }
  files_.push_back(std::move(f));
  return files_.size() - 1;
}

void rule_view::add_section(std::size_t file, const xmlNode* section, const xmlNode* location,
                            bool own) {
  const xmlNode* node = section;
  for (std::size_t i = 1; i < path_.size() && node; ++i)
    node = emplugin::first_child(node, path_[i]);
  if (!node) return;
  std::optional<std::string> where;
  if (location) where = emplugin::attribute(location, "path").value_or("");
  merged_.push_back({file, node, where, own});
}

void rule_view::add_locations(std::size_t file, const std::string& relative, bool own,
                              bool top_level) {
  const auto& source = files_[file].source;
  if (!source) return;
  for (const xmlNode* child : emplugin::child_elements(source->root())) {
    const std::string name = emplugin::name_of(child);
    if (top_level && name == path_.front()) add_section(file, child, nullptr, own);
    if (name != "location") continue;
    const std::string path = normal_location(emplugin::attribute(child, "path").value_or(""));
    if (!emplugin::iequals(path, relative)) continue;
    // Such a location is not inherited by the applications below it.
    if (!own && emplugin::iequals(
                    emplugin::attribute(child, "inheritInChildApplications").value_or(""), "false"))
      continue;
    for (const xmlNode* section : emplugin::child_elements(child, path_.front()))
      add_section(file, section, child, own);
  }
}

std::string rule_view::primary_where() const {
  std::string path;
  for (const auto& p : path_)
    path += (path.empty() ? "" : "/") + p;
  return primary().path.string() + " (" + path + ")";
}

std::vector<rule_occurrence> rule_view::effective(const std::string& name) const {
  std::string path;
  for (const auto& p : path_)
    path += (path.empty() ? "" : "/") + p;
  std::vector<rule_occurrence> out;
  for (const auto& c : merged_) {
    for (const xmlNode* e : emplugin::child_elements(c.collection)) {
      const std::string kind = emplugin::name_of(e);
      const bool named = emplugin::iequals(emplugin::attribute(e, "name").value_or(""), name);
      if (kind == "clear" || (kind == "remove" && named)) out.clear();
      if (kind != "rule" || !named) continue;
      rule_occurrence o;
      o.file = c.file;
      o.rule = e;
      o.location = c.location;
      o.own = c.own;
      o.where = files_[c.file].path.string() + " (" +
                (c.location ? "<location path=\"" + *c.location + "\"> " : std::string()) + path +
                ")";
      out.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace emrewrite
