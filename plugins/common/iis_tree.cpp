#include "plugins/common/iis_tree.hpp"

#include <cctype>
#include <charconv>
#include <system_error>

#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/xml_source.hpp"

namespace emplugin {
namespace {

const std::string variable_prefix = "variables.";

// "/owa/" and "owa" both mean "/owa"; "" means "/".
std::string normal_url_path(const std::string& p) {
  std::string out = "/";
  for (char c : p) {
    if (c == '/' && out.back() == '/') continue;
    out += c;
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// Is `prefix` a whole-segment prefix of `path`? Both normal, compared as IIS does.
bool covers(const std::string& prefix, const std::string& path) {
  if (prefix == "/") return true;
  if (path.size() < prefix.size() || !iequals(path.substr(0, prefix.size()), prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

// The child of `parent` named `element` whose `path` attribute is the longest
// cover of `url`.
xmlNode* best_cover(const xmlNode* parent, const std::string& element, const std::string& url,
                    std::string& chosen) {
  xmlNode* best = nullptr;
  for (xmlNode* c : child_elements(parent, element)) {
    std::string p = normal_url_path(attribute(c, "path").value_or(""));
    if (covers(p, url) && (!best || p.size() > chosen.size())) {
      best = c;
      chosen = p;
    }
  }
  return best;
}

std::string remainder(const std::string& url, const std::string& prefix) {
  return normal_url_path(prefix == "/" ? url : url.substr(prefix.size()));
}

std::filesystem::path find_web_config(const std::filesystem::path& folder) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    if (iequals(entry.path().filename().string(), "web.config")) return entry.path();
  return folder / "web.config";
}

}  // namespace

iis_tree::iis_tree(const emservice::iis_table& iis) {
  for (const auto& [key, values] : iis) {
    if (key == "application_host" && !values.empty()) application_host_ = values.front();
    if (key.compare(0, variable_prefix.size(), variable_prefix) == 0 && !values.empty())
      variables_.emplace_back(key.substr(variable_prefix.size()), values.front());
    // The loader checked it (1 to 1000); anything else keeps the default.
    if (key == "backups" && values.size() == 1) {
      std::size_t n = 0;
      auto [end, ec] = std::from_chars(values[0].data(), values[0].data() + values[0].size(), n);
      if (ec == std::errc{} && end == values[0].data() + values[0].size() && n >= 1) backups_ = n;
    }
  }
}

std::filesystem::path iis_tree::application_host() const {
  if (!application_host_)
    throw plugin_error(
        "[iis] application_host is not configured: the path of applicationHost.config is needed");
  return *application_host_;
}

std::optional<std::string> iis_tree::variable(const std::string& name) const {
  for (const auto& [k, v] : variables_)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

std::filesystem::path iis_tree::host_path(const std::string& physical,
                                          const std::string& context) const {
  const std::string what = "physicalPath '" + physical + "' of " + context;
  std::string expanded;
  for (std::size_t p = 0; p < physical.size();) {
    if (physical[p] != '%') {
      expanded += physical[p++];
      continue;
    }
    auto close = physical.find('%', p + 1);
    if (close == std::string::npos) throw plugin_error(what + " has an unpaired '%'");
    const std::string name = physical.substr(p + 1, close - p - 1);
    auto value = variable(name);
    if (!value)
      throw plugin_error(what + " uses %" + name + "%, which [iis] variables does not define");
    expanded += *value;
    p = close + 1;
  }
  // A Windows drive path: the drive is a variable too ("C:" = "/srv/iis/C").
  if (expanded.size() >= 2 && std::isalpha(static_cast<unsigned char>(expanded[0])) &&
      expanded[1] == ':') {
    auto root = variable(expanded.substr(0, 2));
    if (!root)
      throw plugin_error(what + " is on drive " + expanded.substr(0, 2) +
                         ", which no [iis] variable maps (define %SystemDrive%-style variables, "
                         "or one named \"" +
                         expanded.substr(0, 2) + "\")");
    expanded = *root + expanded.substr(2);
  }
  for (auto& c : expanded)
    if (c == '\\') c = '/';
  std::filesystem::path out(expanded);
  if (!out.is_absolute())
    throw plugin_error(what + " maps to '" + expanded + "', which is not an absolute path");
  out = out.lexically_normal();
  if (out.has_filename() || out == out.root_path()) return out;
  return out.parent_path();
}

xml_source iis_tree::read_application_host(emservice::host_api& host) const {
  const auto file = application_host();
  auto bytes = read_if_exists(host, file);
  if (!bytes) throw plugin_error("cannot read " + file.string() + ": no such file");
  return xml_source::parse(std::move(*bytes), file.string());
}

iis_location iis_tree::resolve(const std::string& target, emservice::host_api& host) const {
  return resolve(target, read_application_host(host));
}

iis_location iis_tree::resolve(const std::string& target, const xml_source& config) const {
  const auto file = application_host();
  auto slash = target.find('/');
  const std::string site_name = trim(target.substr(0, slash));
  const std::string url =
      normal_url_path(slash == std::string::npos ? std::string() : target.substr(slash));
  if (site_name.empty()) throw plugin_error("target '" + target + "' names no site");

  const xmlNode* sites = first_child(first_child(config.root(), "system.applicationHost"), "sites");
  xmlNode* site = nullptr;
  for (xmlNode* s : child_elements(sites, "site"))
    if (iequals(attribute(s, "name").value_or(""), site_name)) site = s;
  if (!site)
    throw plugin_error("site '" + site_name + "' is not in " + file.string() +
                       " (system.applicationHost/sites)");

  iis_location where;
  where.site = attribute(site, "name").value_or(site_name);
  xmlNode* app = best_cover(site, "application", url, where.application);
  if (!app)
    throw plugin_error("site '" + where.site + "' has no application for '" + url + "' in " +
                       file.string());
  const std::string inside = remainder(url, where.application);
  xmlNode* vdir = best_cover(app, "virtualDirectory", inside, where.virtual_directory);
  if (!vdir || remainder(inside, where.virtual_directory) != "/")
    throw plugin_error("'" + target + "' is not an application or virtual directory of site '" +
                       where.site + "' in " + file.string());
  auto physical = attribute(vdir, "physicalPath");
  const std::string context = "'" + where.site + (url == "/" ? std::string() : url) + "'";
  if (!physical || physical->empty())
    throw plugin_error(context + " has no physicalPath in " + file.string());
  where.physical_path = *physical;
  where.folder = host_path(*physical, context);
  where.web_config = find_web_config(where.folder);
  return where;
}

bool url_rewrite_installed(const xml_source& application_host) {
  const xmlNode* root = application_host.root();
  const xmlNode* group = nullptr;
  for (const xmlNode* g : child_elements(first_child(root, "configSections"), "sectionGroup"))
    if (attribute(g, "name") == std::string("system.webServer")) group = g;
  bool sections = false;
  for (const xmlNode* g : child_elements(group, "sectionGroup"))
    sections = sections || attribute(g, "name") == std::string("rewrite");
  bool module = false;
  for (const xmlNode* m :
       child_elements(first_child(first_child(root, "system.webServer"), "globalModules"), "add"))
    module = module || iequals(attribute(m, "name").value_or(""), "RewriteModule");
  return sections && module;
}

}  // namespace emplugin
