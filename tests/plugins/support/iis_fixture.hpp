#pragma once

#include <filesystem>
#include <string>

#include "core/config/service_config.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// A fresh copy of tests/plugins/iis_tree: an Exchange 2019 Mailbox server's
// IIS configuration (applicationHost.config with Default Web Site and
// Exchange Back End, their applications and app pools, the rewrite module's
// sections) and the sites' web.config files, with comments, location
// elements, CRLF and LF files, spaces and tabs.
class iis_fixture {
 public:
  iis_fixture();

  const temp_dir& dir() const { return dir_; }
  // The copy's system drive, what %SystemDrive% and "C:" map to.
  std::filesystem::path drive() const { return dir_.path() / "C"; }
  std::filesystem::path application_host() const;
  std::filesystem::path site_root_config() const;                 // Default Web Site's web.config
  std::filesystem::path front_end(const std::string& app) const;  // FrontEnd/HttpProxy/<app>
  std::filesystem::path back_end(const std::string& app) const;   // ClientAccess/<app>

  em::iis_section iis() const;
  // The [iis] table of an emsd.conf for this tree.
  std::string toml() const;

 private:
  temp_dir dir_{"emiis"};
};

// The real M1 rule of SPEC 2 (CVE-2022-41040), as a UrlRewrite Value.
std::string m1_rule();

// Files beside `file` whose name starts with its name and ends in ".bak".
int backups_of(const std::filesystem::path& file);

}  // namespace em::test
