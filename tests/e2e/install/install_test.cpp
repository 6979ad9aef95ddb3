// `cmake --install` puts the programs, the plugins, the systemd unit and a
// default configuration in place, and that configuration fails closed.
#include <catch2/catch.hpp>

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;
namespace fs = std::filesystem;

TEST_CASE("cmake --install lays out the service") {
  temp_dir dir("eminstall");
  auto prefix = dir / "prefix";
  auto r = run_command(
      {EM_CMAKE_COMMAND, "--install", binary_dir().string(), "--prefix", prefix.string()},
      std::chrono::seconds(100));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* file : {"sbin/emsd", "bin/emctl", "bin/emfeed",
                           "libexec/emservice/emsd-plugin-worker", "lib/emservice/plugins/ping.so",
                           "lib/systemd/system/emsd.service", "etc/emservice/emsd.conf"})
    CHECK(fs::exists(prefix / file));

  auto unit = read_text(prefix / "lib/systemd/system/emsd.service");
  const std::string configured = EM_INSTALL_PREFIX;
  CHECK_THAT(unit, Catch::Contains("Type=notify"));
  CHECK_THAT(unit, Catch::Contains("ExecStart=" + configured + "/sbin/emsd --config "));
  CHECK_THAT(unit, Catch::Contains("/emservice/emsd.conf\n"));
  CHECK_THAT(unit, Catch::Contains("Restart=on-failure"));
  CHECK_THAT(unit, Catch::Contains("ProtectSystem=strict"));
  CHECK_THAT(unit, Catch::Contains("ReadWritePaths="));
  CHECK_THAT(unit, Catch::Contains("StateDirectory=emservice"));

  // The default configuration parses, and refuses to trust anything until the
  // operator installs a trust anchor and its CRLs.
  auto conf = prefix / "etc/emservice/emsd.conf";
  write_text(dir / "doc.xml", "<EOCS/>");
  auto v = run_command({(prefix / "bin/emctl").string(), "--config", conf.string(), "verify",
                        (dir / "doc.xml").string()});
  CHECK(v.exit_code == 2);
  CHECK_THAT(v.err, Catch::Contains(prefix.string() + "/etc/emservice/trust/"));
  auto help = run_command({(prefix / "sbin/emsd").string(), "--help"});
  CHECK(help.exit_code == 0);
}
