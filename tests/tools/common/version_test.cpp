// SPEC 14: every program answers --version (tools/common/version.hpp, added
// to each by run_program) with the project's version and the plugin ABI of
// the SDK it was built with, exit status 0.
#include <catch2/catch.hpp>

#include <emservice/plugin.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;

TEST_CASE("issue_17_version: every program prints its version and plugin ABI, and exits 0") {
  const std::string abi =
      std::to_string(EMSERVICE_PLUGIN_ABI_MAJOR) + "." + std::to_string(EMSERVICE_PLUGIN_ABI_MINOR);
  for (const auto& program : {emsd_path(), emctl_path(), emfeed_path(),
                              emsd_path().parent_path() / "emsd-plugin-worker"}) {
    // emctl needs a subcommand and the worker its --fd: --version goes first.
    auto r = run_command({program.string(), "--version"});
    INFO(program << ": " << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == program.filename().string() +
                       " (EM Service) " EM_PROJECT_VERSION ", plugin ABI " + abi + "\n");
  }
}

TEST_CASE("issue_17_version: --version does not start the service or read the configuration") {
  auto r = run_command({emsd_path().string(), "--config", "/nonexistent/emsd.conf", "--version"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("emsd (EM Service) "));
}
