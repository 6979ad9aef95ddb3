#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace em::test {

// The two .deb files scripts/package.sh made from this source tree, and what
// it printed (its lintian report among it).
struct built_packages {
  std::filesystem::path main;  // emservice_<version>_<arch>.deb
  std::filesystem::path dev;   // emservice-dev_<version>_<arch>.deb
  std::string output;
  int exit_code = -1;
};

// Runs scripts/package.sh into <build>-package, with this build's type
// and compilers (ccache: no second full compile), lintian only when asked,
// and copies the packages into `dir`. Serialised with a lock file, as two
// test processes may ask at once (and the next run replaces the files).
built_packages build_packages(bool with_lintian, const std::filesystem::path& dir);

// "E: emservice: tag …" lines of a lintian report, by severity letter.
std::vector<std::string> lintian_lines(const std::string& report, char severity);

}  // namespace em::test
