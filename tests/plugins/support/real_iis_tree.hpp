#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/config/service_config.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

// In a Catch2 test: skips it, saying why, when the material is absent.
#define EM_SKIP_WITHOUT_REAL_IIS(tree)                      \
  if (!(tree).available()) {                                \
    WARN("skipped: ../shared/conformance/iis is not here (" \
         << em::test::conformance_dir().string() << ")");   \
    return;                                                 \
  }

namespace em::test {

// The configuration captured from real Exchange 2019 servers
// (../shared/conformance/iis, read in place), copied into a temporary IIS
// tree at the folders its applicationHost.config names: the Default Web
// Site's root, the front end's PowerShell, owa and ecp, the back end's ecp.
// Where the material is absent, available() is false and the tree is empty.
class real_iis_tree {
 public:
  real_iis_tree();

  bool available() const { return available_; }
  const temp_dir& dir() const { return dir_; }
  std::filesystem::path drive() const { return dir_.path() / "C"; }
  std::filesystem::path application_host() const;
  std::filesystem::path site_root_config() const;                 // Default Web Site
  std::filesystem::path front_end(const std::string& app) const;  // its web.config
  std::filesystem::path back_end(const std::string& app) const;   // its web.config

  em::iis_section iis() const;
  // Every file of the tree and its bytes, to show that nothing else changed.
  std::map<std::filesystem::path, std::string> snapshot() const;

  // A conformance file's bytes, e.g. "E19_applicationHost.config".
  static std::string original(const std::string& name);

 private:
  temp_dir dir_{"emreal"};
  bool available_ = false;
};

}  // namespace em::test
