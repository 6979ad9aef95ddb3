#include "plugins/nginx/nginx_settings.hpp"

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/settings_reader.hpp"
#include "plugins/common/text_util.hpp"

namespace emnginx {
namespace {

using emplugin::plugin_error;

std::string replaced(std::string arg, const std::string& name, const std::string& value) {
  for (auto at = arg.find(name); at != std::string::npos; at = arg.find(name, at + value.size()))
    arg.replace(at, name.size(), value);
  return arg;
}

}  // namespace

nginx_settings nginx_settings::read(const emservice::host_context& context) {
  emplugin::settings_reader reader(context);
  nginx_settings s;
  auto conf = reader.absolute_path("conf");
  if (!conf)
    throw plugin_error(
        "plugins.nginx.conf is required: the main nginx.conf, for `nginx -t -c <conf>`");
  s.conf = *conf;
  if (auto nginx = reader.absolute_path("nginx")) s.nginx = *nginx;
  s.reload_command = context.settings.get_list("reload_command");
  for (auto& arg : s.reload_command)
    arg = replaced(replaced(arg, "{nginx}", s.nginx.string()), "{conf}", s.conf.string());
  if (s.reload_command.empty() || s.reload_command.front().empty() ||
      s.reload_command.front()[0] != '/')
    throw plugin_error(
        "plugins.nginx.reload_command: expected a list starting with an absolute program path "
        "(or \"{nginx}\"), e.g. [\"{nginx}\", \"-c\", \"{conf}\", \"-s\", \"reload\"] (no shell "
        "runs it)");
  const auto& sites = context.settings.has("sites") ? context.settings.get_table("sites")
                                                     : std::map<std::string, std::string>{};
  for (const auto& [target, folder] : sites) {
    if (folder.empty() || folder[0] != '/')
      throw plugin_error("plugins.nginx.sites.\"" + target +
                         "\": expected one absolute folder, the one its server blocks include");
    if (!s.sites.emplace(emplugin::to_lower(target), folder).second)
      throw plugin_error("plugins.nginx.sites: \"" + target +
                         "\" is listed twice (targets compare without regard to case)");
  }
  if (s.sites.empty())
    throw plugin_error(
        "plugins.nginx.sites is required: a table of target → include folder, e.g. "
        "sites = { \"Default Web Site\" = \"/etc/nginx/emservice/exchange\" }");
  return s;
}

std::vector<std::string> nginx_settings::test_command() const {
  return {nginx.string(), "-t", "-c", conf.string()};
}

std::filesystem::path nginx_settings::folder_of(const em::rules::rule_target& target) const {
  if (target.server_wide) {
    if (auto it = sites.find("*"); it != sites.end()) return it->second;
    throw plugin_error(
        "a server-wide rule needs the folder every fronting server block includes: "
        "plugins.nginx.sites.\"*\"");
  }
  if (!target.vdir.empty())
    if (auto it = sites.find(emplugin::to_lower(target.text())); it != sites.end())
      return it->second;
  if (auto it = sites.find(emplugin::to_lower(target.site)); it != sites.end()) return it->second;
  std::string known;
  for (const auto& [name, folder] : sites)
    known += (known.empty() ? "" : ", ") + name;
  throw plugin_error("no plugins.nginx.sites entry for target \"" + target.text() +
                     "\" (listed: " + known + ")");
}

}  // namespace emnginx
