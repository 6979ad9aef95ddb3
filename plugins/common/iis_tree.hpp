#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <emservice/plugin.hpp>

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
  explicit iis_tree(const emservice::settings_table& iis);

  // Throws plugin_error when [iis] application_host is not configured.
  std::filesystem::path application_host() const;

  // `target` is "Site" or "Site/app/vdir": the site must exist, and the path
  // must name one of its applications or virtual directories exactly (names
  // compared without regard to case, as IIS does). applicationHost.config is
  // read through `host`. Throws plugin_error naming what is missing.
  iis_location resolve(const std::string& target, emservice::host_api& host) const;

  // A physicalPath as a host path; `context` names where it came from.
  std::filesystem::path host_path(const std::string& physical_path,
                                  const std::string& context) const;

 private:
  std::optional<std::string> variable(const std::string& name) const;

  std::optional<std::filesystem::path> application_host_;
  std::vector<std::pair<std::string, std::string>> variables_;
};

}  // namespace emplugin
