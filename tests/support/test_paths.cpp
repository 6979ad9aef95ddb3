#include "tests/support/test_paths.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "tests/support/file_lock.hpp"
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

namespace {

// The keys take about 2 s of CPU to make, and each Catch2 test case runs as a
// process of its own: one master copy per build folder, made under a lock by
// the first process that needs it and named after the script's contents (a
// changed script makes a new one), is copied into each process's folder, so
// no test ever shares files with another.
void copy_master_pki(const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  const fs::path script = source_dir() / "scripts" / "make-test-pki.sh";
  std::ifstream in(script, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) throw std::runtime_error("cannot read " + script.string());
  const fs::path root = binary_dir() / "test-pki";
  const char* days = std::getenv("EM_PKI_DAYS");  // the script reads it too
  const fs::path master =
      root / std::to_string(std::hash<std::string>{}(text + "\n" + (days ? days : "")));
  fs::create_directories(root);
  file_lock lock(root / "lock");
  // Its CRLs are good for 30 days: a master older than a day is made again.
  const bool fresh = fs::exists(master / "complete") &&
                     fs::last_write_time(master / "complete") >
                         fs::file_time_type::clock::now() - std::chrono::hours(24);
  if (!fresh) {
    const fs::path partial = root / ("partial-" + std::to_string(::getpid()));
    fs::remove_all(partial);
    auto r = run_command({script.string(), partial.string()});
    if (r.exit_code != 0) throw std::runtime_error("make-test-pki.sh failed: " + r.err);
    std::ofstream(partial / "complete") << "made by make-test-pki.sh\n";
    fs::remove_all(master);
    fs::rename(partial, master);
  }
  // Copied under the lock: a master is replaced only under it.
  fs::copy(master, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::remove(to / "complete");
}

}  // namespace

const std::filesystem::path& test_pki() {
  static std::unique_ptr<temp_dir> dir;
  static std::filesystem::path path;
  if (!dir) {
    dir = std::make_unique<temp_dir>("empki");
    path = dir->path();
    copy_master_pki(path);
  }
  return path;
}

}  // namespace em::test
