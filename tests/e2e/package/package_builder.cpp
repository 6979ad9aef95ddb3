#include "tests/e2e/package/package_builder.hpp"

#include <sstream>

#include "tests/support/file_lock.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {
namespace fs = std::filesystem;

namespace {

fs::path find_deb(const fs::path& dir, const std::string& package) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.rfind(package + "_" EM_PROJECT_VERSION "_", 0) == 0 && e.path().extension() == ".deb")
      return e.path();
  }
  return {};
}

}  // namespace

built_packages build_packages(bool with_lintian, const fs::path& copy_to) {
  // Beside this build (build → build-package): ccache, with base_dir, hashes
  // paths relative to the build folder, so a folder as deep as this one's
  // finds this build's objects; a deeper one would compile everything again.
  const fs::path dir = binary_dir().parent_path() / (binary_dir().filename().string() + "-package");
  fs::create_directories(dir);
  file_lock lock(dir / ".lock");
  auto r = run_command(
      {(source_dir() / "scripts/package.sh").string(), "-DCMAKE_BUILD_TYPE=" EM_BUILD_TYPE,
       "-DCMAKE_CXX_COMPILER=" EM_CXX_COMPILER, "-DCMAKE_C_COMPILER=" EM_C_COMPILER},
      std::chrono::minutes(14),
      {{"EM_PACKAGE_BUILD_DIR", dir.string()},
       {"EM_PACKAGE_OUT", (dir / "dist").string()},
       {"EM_PACKAGE_LINTIAN", with_lintian ? "1" : "0"}});
  built_packages out;
  out.exit_code = r.exit_code;
  out.output = r.out + r.err;
  if (!fs::is_directory(dir / "dist")) return out;
  for (auto [field, name] : {std::pair{&out.main, "emservice"}, {&out.dev, "emservice-dev"}}) {
    const auto built = find_deb(dir / "dist", name);
    if (built.empty()) continue;
    *field = copy_to / built.filename();
    fs::copy_file(built, *field, fs::copy_options::overwrite_existing);
  }
  return out;
}

std::vector<std::string> lintian_lines(const std::string& report, char severity) {
  std::vector<std::string> lines;
  std::istringstream in(report);
  std::string line;
  const std::string mark = std::string(1, severity) + ": ";
  while (std::getline(in, line)) {
    const auto at = line.find(mark);
    // package.sh indents lintian's lines; "E: emservice: …" after the spaces.
    if (at != std::string::npos && line.find_first_not_of(' ') == at)
      lines.push_back(line.substr(at));
  }
  return lines;
}

}  // namespace em::test
