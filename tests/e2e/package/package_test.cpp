// SPEC 14: scripts/package.sh builds emservice and emservice-dev from this
// tree, lintian finds no error in them (its warnings are printed), and they
// hold what an operator and a plugin author expect.
#include <catch2/catch.hpp>

#include <sstream>

#include "tests/e2e/package/package_builder.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;

namespace {

// The first of `tools` not installed here; empty when all are.
std::string missing_tool(std::initializer_list<const char*> tools) {
  for (const char* tool : tools)
    if (run_command({"sh", "-c", std::string("command -v ") + tool}).exit_code != 0) return tool;
  return {};
}

std::string deb_field(const std::filesystem::path& deb, const std::string& field) {
  return run_command({"dpkg-deb", "--field", deb.string(), field}).out;
}

// "./usr/sbin/emsd" → "/usr/sbin/emsd", one per line.
std::string deb_contents(const std::filesystem::path& deb) {
  auto r = run_command({"dpkg-deb", "--contents", deb.string()});
  std::istringstream in(r.out);
  std::string line, paths;
  while (std::getline(in, line)) {
    auto at = line.find(" ./");
    if (at != std::string::npos) paths += line.substr(at + 2) + "\n";
  }
  return paths;
}

}  // namespace

TEST_CASE("issue_17_package: scripts/package.sh builds the packages and lintian finds no error") {
  if (auto tool = missing_tool({"cpack", "dpkg-deb", "dpkg-shlibdeps", "fakeroot", "lintian"});
      !tool.empty()) {
    WARN("skipped: " << tool << " is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  temp_dir dir("empackage");
  const auto built = build_packages(true, dir.path());
  INFO(built.output);
  REQUIRE(!built.main.empty());
  REQUIRE(!built.dev.empty());
  CHECK(lintian_lines(built.output, 'E').empty());
  CHECK(built.exit_code == 0);
  std::string warnings;
  for (const auto& w : lintian_lines(built.output, 'W'))
    warnings += "\n  " + w;
  if (!warnings.empty()) WARN("lintian warnings:" << warnings);

  // Depends from dpkg-shlibdeps (the libraries the binaries link to) and the
  // maintainer scripts' own needs.
  const auto depends = deb_field(built.main, "Depends");
  for (const char* lib : {"libc6", "libstdc++6", "libssl3", "libsqlite3-0", "libxmlsec1-openssl",
                          "libspdlog1.10", "libsystemd0", "adduser"})
    CHECK_THAT(depends, Catch::Contains(lib));

  const auto files = deb_contents(built.main);
  for (const char* path :
       {"/usr/sbin/emsd\n", "/usr/bin/emctl\n", "/usr/bin/emfeed\n",
        "/usr/libexec/emservice/emsd-plugin-worker\n", "/usr/lib/emservice/plugins/ping.so\n",
        "/usr/lib/systemd/system/emsd.service\n", "/etc/emservice/emsd.conf\n",
        "/etc/emservice/trust/\n", "/usr/share/man/man8/emsd.8.gz\n",
        "/usr/share/man/man8/emctl.8.gz\n", "/usr/share/man/man1/emfeed.1.gz\n",
        "/usr/share/man/man5/emsd.conf.5.gz\n", "/usr/share/doc/emservice/copyright\n",
        "/usr/share/doc/emservice/changelog.gz\n", "/usr/share/doc/emservice/README.md\n",
        "/usr/share/doc/emservice/fleet.md\n", "/usr/share/emservice/etcd-roles.sh\n"})
    CHECK_THAT(files, Catch::Contains(path));
  // The SDK is in -dev only.
  CHECK_THAT(files, !Catch::Contains("/usr/include/"));

  auto conffiles =
      run_command({"sh", "-c", "dpkg-deb --info '" + built.main.string() + "' conffiles"});
  CHECK(conffiles.out == "/etc/emservice/emsd.conf\n");

  // The configuration and the unit point to the installed layout.
  auto conf = run_command({"sh", "-c",
                           "dpkg-deb --fsys-tarfile '" + built.main.string() +
                               "' | tar -xO ./etc/emservice/emsd.conf"});
  CHECK_THAT(conf.out, Catch::Contains("dir = \"/usr/lib/emservice/plugins\""));
  CHECK_THAT(conf.out, Catch::Contains("path = \"/var/lib/emservice/state.db\""));
  auto unit = run_command({"sh", "-c",
                           "dpkg-deb --fsys-tarfile '" + built.main.string() +
                               "' | tar -xO ./usr/lib/systemd/system/emsd.service"});
  CHECK_THAT(unit.out,
             Catch::Contains("ExecStart=/usr/sbin/emsd --config /etc/emservice/emsd.conf"));

  const auto dev_files = deb_contents(built.dev);
  for (const char* path :
       {"/usr/include/emservice/plugin.hpp\n", "/usr/lib/cmake/EmService/EmServiceConfig.cmake\n",
        "/usr/lib/cmake/EmService/EmServicePlugin.cmake\n",
        "/usr/share/doc/emservice-dev/examples/plugin-template/CMakeLists.txt\n",
        "/usr/share/doc/emservice-dev/copyright\n"})
    CHECK_THAT(dev_files, Catch::Contains(path));
  CHECK_THAT(dev_files, !Catch::Contains("/usr/sbin/"));
}

TEST_CASE("issue_16_dev_package: the packaged SDK 2.0 builds the packaged plugin template") {
  if (auto tool = missing_tool({"cpack", "dpkg-deb", "dpkg-shlibdeps", "fakeroot"});
      !tool.empty()) {
    WARN("skipped: " << tool << " is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  temp_dir dir("emdevpackage");
  const auto built = build_packages(false, dir.path());
  INFO(built.output);
  REQUIRE(!built.dev.empty());
  // The package's files as a plugin author's machine would have them, under
  // a folder of the test's instead of /usr (the CMake package is relocatable).
  const auto root = dir / "root";
  REQUIRE(run_command({"dpkg-deb", "-x", built.dev.string(), root.string()}).exit_code == 0);

  // SDK 2.0 is more than plugin.hpp: every public header of the tree ships.
  std::size_t headers = 0;
  for (const auto& h : std::filesystem::directory_iterator(source_dir() / "core/sdk/emservice")) {
    INFO(h.path().filename() << " is not in emservice-dev");
    CHECK(std::filesystem::exists(root / "usr/include/emservice" / h.path().filename()));
    ++headers;
  }
  CHECK(headers >= 6);

  // The template as packaged, against the packaged SDK alone (its own test
  // loads the plugin and checks the ABI version and settings table).
  const auto build = dir / "template-build";
  const auto run = [](const std::vector<std::string>& argv) {
    auto r = run_command(argv, std::chrono::minutes(5));
    INFO(argv[0] << " " << argv[1] << "\n" << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  };
  run({EM_CMAKE_COMMAND, "-S",
       (root / "usr/share/doc/emservice-dev/examples/plugin-template").string(), "-B",
       build.string(), "-DCMAKE_PREFIX_PATH=" + (root / "usr").string(),
       "-DCMAKE_CXX_COMPILER=" EM_CXX_COMPILER, "-DCMAKE_BUILD_TYPE=Release"});
  run({EM_CMAKE_COMMAND, "--build", build.string()});
  const auto tested = run({EM_CTEST_COMMAND, "--test-dir", build.string(), "--output-on-failure"});
  CHECK_THAT(tested.out, Catch::Contains("100% tests passed"));
  CHECK(std::filesystem::exists(build / "hosts.so"));
}
