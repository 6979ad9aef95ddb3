// Third parties build plugins against the installed SDK alone: install into a
// temporary prefix, compile each SDK header on its own, build the plugin
// template out of tree with nothing but that prefix, and have the installed
// emsd apply the template's action type.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;
namespace fs = std::filesystem;
using std::chrono::seconds;

namespace {

command_result must(const std::vector<std::string>& argv, seconds limit = seconds(300)) {
  auto r = run_command(argv, limit);
  INFO(argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << "\n" << r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

}  // namespace

TEST_CASE("the SDK builds the plugin template out of tree and emsd applies its action") {
  temp_dir dir("emsdk");
  auto prefix = dir / "prefix";
  must({EM_CMAKE_COMMAND, "--install", binary_dir().string(), "--prefix", prefix.string()});

  // Each SDK header compiles alone, warning-free, and pulls in nothing but the
  // C++ standard library (-H lists every header it opens).
  for (auto& header : fs::directory_iterator(prefix / "include" / "emservice")) {
    auto unit = dir / ("only_" + header.path().stem().string() + ".cpp");
    write_text(unit, "#include <emservice/" + header.path().filename().string() + ">\n");
    auto r = must({EM_CXX_COMPILER, "-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic",
                   "-Werror", "-H", "-I" + (prefix / "include").string(), unit.string()});
    for (const char* foreign : {"caf/", "boost/", "spdlog/", "fmt/", "toml++", "CLI/"})
      CHECK(r.err.find(foreign) == std::string::npos);
    CHECK(r.err.find(source_dir().string()) == std::string::npos);
  }

  auto build = dir / "template-build";
  must({EM_CMAKE_COMMAND, "-S", (source_dir() / "docs" / "plugin-template").string(), "-B",
        build.string(), "-DCMAKE_PREFIX_PATH=" + prefix.string(), "-DCMAKE_BUILD_TYPE=Release"});
  must({EM_CMAKE_COMMAND, "--build", build.string()});
  must({EM_CTEST_COMMAND, "--test-dir", build.string(), "--output-on-failure"});

  // The installed service, with the installed ping plugin and the new one.
  auto plugins = dir / "plugins";
  fs::create_directories(plugins);
  fs::copy_file(prefix / "lib" / "emservice" / "plugins" / "ping.so", plugins / "ping.so");
  fs::copy_file(build / "hosts.so", plugins / "hosts.so");
  write_text(dir / "hosts", "127.0.0.1 localhost\n");
  write_text(dir / "unsigned.xml",
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n"
             "  <Config id=\"C2\" desc=\"Sinkhole the C2 domain\"><ActionList>"
             "<Action type=\"HostsEntry\" scope=\"Server\" desc=\"c2\"><Value><HostsEntry "
             "host=\"c2.evil.example\" address=\"0.0.0.0\"/></Value></Action></ActionList>"
             "</Config>\n</EOCS>\n");
  const auto& pki = test_pki();
  must({(prefix / "bin" / "emfeed").string(), "sign", "--key", (pki / "signer.key").string(),
        "--cert", (pki / "signer.pem").string(), "--chain", (pki / "chain.pem").string(),
        "--sequence", "1", (dir / "unsigned.xml").string(), (dir / "feed.xml").string()});
  write_text(dir / "emsd.conf",
             "[server]\nname = \"EX01\"\n[feed]\nurl = \"file://" + (dir / "feed.xml").string() +
                 "\"\n[trust]\nanchors = [\"" + (pki / "root.pem").string() +
                 "\"]\nrevocation = \"off\"\n[store]\npath = \"state.db\"\n[log]\ndir = \"logs\"\n"
                 "[plugins]\ndir = \"plugins\"\n[plugins.hosts]\nfile = \"" +
                 (dir / "hosts").string() + "\"\n[control]\nsocket = \"emsd.sock\"\n");
  auto once = must(
      {(prefix / "sbin" / "emsd").string(), "--config", (dir / "emsd.conf").string(), "--once"});
  CHECK_THAT(once.out, Catch::Contains("C2.1 HostsEntry: Applied"));
  CHECK(read_text(dir / "hosts") == "127.0.0.1 localhost\n0.0.0.0 c2.evil.example # EEMS C2.1\n");
  auto status = must({(prefix / "bin" / "emctl").string(), "--config", (dir / "emsd.conf").string(),
                      "get-mitigations", "--json"});
  CHECK(nlohmann::json::parse(status.out)[0]["Status"] == "Applied");
  CHECK_THAT(read_text(dir / "logs" / "MitigationService.log"),
             Catch::Contains("[hosts] sinkholed c2.evil.example in "));

  // The installed emctl finds the installed worker, and lists the plugin as
  // emsd loads it, its declared setting with its default.
  auto listed = must(
      {(prefix / "bin" / "emctl").string(), "--config", (dir / "emsd.conf").string(), "plugins"});
  CHECK_THAT(listed.out, Catch::Contains("hosts (hosts.so, ABI 2.0)\n  Action types: HostsEntry\n"
                                         "  Settings ([plugins.hosts]):\n"
                                         "    file (string, default \"/etc/hosts\"): the hosts "
                                         "file to edit\n"));
  CHECK_THAT(listed.out, Catch::Contains("ping (ping.so, ABI 2.0)\n  Action types: DoNothing\n"
                                         "  Settings: none\n"));
}
