#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <emservice/plugin.hpp>

#include "plugins/common/xml_source.hpp"

namespace emplugin {

// Where a site or virtual directory lives, as applicationHost.config says.
struct iis_location {
  std::string site;               // as applicationHost.config spells it
  std::string application;        // "/", "/owa"
  std::string virtual_directory;  // inside the application, usually "/"
  std::string physical_path;      // as written there, e.g. %SystemDrive%\inetpub\wwwroot
  std::filesystem::path folder;   // that folder on this host
  std::filesystem::path web_config;
};

// The IIS configuration tree of this host, from the [iis] table: the
// applicationHost.config file and the values of the %VARIABLES% its
// physicalPath attributes use. Windows paths become host paths: the variable
// (or a variable named after the drive, such as "C:") supplies the root and
// backslashes become slashes.
class iis_tree {
 public:
  explicit iis_tree(const emservice::iis_table& iis);

  // Throws plugin_error when [iis] application_host is not configured.
  std::filesystem::path application_host() const;
  // applicationHost.config, read through `host` and parsed; throws
  // plugin_error when it is missing or not well-formed.
  xml_source read_application_host(emservice::host_api& host) const;
  // How many of its own backups to keep per file ([iis] backups, default 5).
  std::size_t backups() const { return backups_; }

  // `target` is "Site" or "Site/app/vdir": the site must exist, and the path
  // must name one of its applications or virtual directories exactly (names
  // compared without regard to case, as IIS does). applicationHost.config is
  // read through `host`. Throws plugin_error naming what is missing.
  iis_location resolve(const std::string& target, emservice::host_api& host) const;
  // The same on an applicationHost.config already read.
  iis_location resolve(const std::string& target, const xml_source& application_host) const;

  // A physicalPath as a host path; `context` names where it came from.
  std::filesystem::path host_path(const std::string& physical_path,
                                  const std::string& context) const;

 private:
  std::optional<std::string> variable(const std::string& name) const;

  std::optional<std::filesystem::path> application_host_;
  std::vector<std::pair<std::string, std::string>> variables_;
  std::size_t backups_ = 5;
};

// Is the IIS URL Rewrite module installed, as applicationHost.config says:
// the system.webServer/rewrite section group declared and RewriteModule
// among the globalModules? Without both, a <rewrite> section makes IIS answer
// 500.19 to every request of the site.
bool url_rewrite_installed(const xml_source& application_host);

}  // namespace emplugin
