#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <emservice/plugin.hpp>

#include "core/rules/rule_target.hpp"

namespace emnginx {

// The [plugins.nginx] table (SPEC 13):
//   conf = "/etc/nginx/nginx.conf"          the main file, for `nginx -t -c <conf>`
//   sites = { "Default Web Site" = "/etc/nginx/emservice/exchange" }
//                                            target → the folder its server blocks include
//   nginx = "/usr/sbin/nginx"                the binary (default)
//   reload_command = ["/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf", "-s", "reload"]
//                                            (default; "{nginx}" and "{conf}" are replaced)
// Every path is absolute. Throws emplugin::plugin_error naming the key.
struct nginx_settings {
  std::filesystem::path conf;
  std::filesystem::path nginx = "/usr/sbin/nginx";
  std::vector<std::string> reload_command;
  std::map<std::string, std::filesystem::path> sites;  // keys in lower case

  static nginx_settings read(const emservice::host_context& context);

  std::vector<std::string> test_command() const;

  // The folder of a target: "Site/vdir" itself when listed, else its site;
  // "*" for a server-wide rule. Throws plugin_error naming the target.
  std::filesystem::path folder_of(const em::rules::rule_target& target) const;
};

}  // namespace emnginx
