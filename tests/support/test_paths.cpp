#include "tests/support/test_paths.hpp"

#include <memory>
#include <stdexcept>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

std::filesystem::path source_dir() {
  return EM_SOURCE_DIR;
}
std::filesystem::path binary_dir() {
  return EM_BINARY_DIR;
}
std::filesystem::path emsd_path() {
  return EM_EMSD_PATH;
}
std::filesystem::path emctl_path() {
  return EM_EMCTL_PATH;
}
std::filesystem::path emfeed_path() {
  return EM_EMFEED_PATH;
}
std::filesystem::path plugin_dir() {
  return EM_PLUGIN_DIR;
}

std::filesystem::path conformance_dir() {
  return std::filesystem::weakly_canonical(source_dir() / ".." / "shared" / "conformance");
}

bool have_conformance() {
  return std::filesystem::exists(conformance_dir() / "ocs-ping1-2021-12-07.xml");
}

const std::filesystem::path& test_pki() {
  static std::unique_ptr<temp_dir> dir;
  static std::filesystem::path path;
  if (!dir) {
    dir = std::make_unique<temp_dir>("empki");
    path = dir->path();
    auto r = run_command({(source_dir() / "scripts" / "make-test-pki.sh").string(), path.string()});
    if (r.exit_code != 0) throw std::runtime_error("make-test-pki.sh failed: " + r.err);
  }
  return path;
}

}  // namespace em::test
