// The configuration loader on valid files: every key of SPEC 9, defaults, and
// relative paths resolved against the file's folder.

#include <unistd.h>

#include <climits>

#include <catch2/catch.hpp>

#include "core/config/config_loader.hpp"
#include "core/util/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const char* const full_config = R"(# every key of SPEC 9
[server]
name = "EX01"
product = "Exchange2016"
build = "15.2.1118.7"
role = "Edge"

[feed]
url = "https://127.0.0.1:8443/getexchangemitigations"
ca_file = "feed-ca.pem"
diagnostics_url = "https://127.0.0.1:8443/diagnostics"
timeout = "45s"
max_size = 2097152

[schedule]
initial_delay = "5m"
interval = "2h"
jitter = "1m30s"

[trust]
anchors = ["trust/root.pem", "/etc/pki/other.pem"]
issuer = "CN=EM Test Code Signing CA,O=EM Test"
eku = ["1.3.6.1.5.5.7.3.3", "1.3.6.1.4.1.311.10.3.13"]
crl_files = ["trust/../trust/root.crl"]
crl_fetch = false
revocation = "best-effort"
require_sequence = false

[store]
backend = "sqlite"
path = "state/state.db"

[log]
dir = "logs"
level = "debug"

[plugins]
dir = "plugins"

[iis]
application_host = "iis/config/applicationHost.config"
variables = { SystemDrive = "/srv/iis/C:", windir = "/srv/iis/C:/Windows", ExchangeInstallPath = "exchange/V15" }
backups = 3

[plugins.apppool]
stop_command = ["/usr/local/bin/apppool-ctl", "stop", "{name}"]
start_command = ["/usr/local/bin/apppool-ctl", "start", "{name}"]
retries = 3
force = true
empty = []

[plugins.service]
systemctl = "/usr/bin/systemctl"
)";

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

}  // namespace

TEST_CASE("a file with every key parses to the expected values") {
  em::test::temp_dir dir("emcfg");
  const fs::path file = dir / "etc/emsd.conf";
  em::test::write_text(file, full_config);
  const fs::path base = file.parent_path();

  const auto c = em::load_config(file);
  CHECK(c.source == file);

  CHECK(c.server.name == "EX01");
  CHECK(c.server.product == "Exchange2016");
  CHECK(c.server.build == "15.2.1118.7");
  CHECK(c.server.role == "Edge");

  CHECK(c.feed.url == "https://127.0.0.1:8443/getexchangemitigations");
  REQUIRE(c.feed.ca_file);
  CHECK(*c.feed.ca_file == base / "feed-ca.pem");
  CHECK(c.feed.diagnostics_url == "https://127.0.0.1:8443/diagnostics");
  CHECK(c.feed.timeout == 45s);
  CHECK(c.feed.max_size == 2097152u);

  CHECK(c.schedule.initial_delay == 5min);
  CHECK(c.schedule.interval == 2h);
  CHECK(c.schedule.jitter == 90s);

  CHECK(c.trust.anchors ==
        std::vector<fs::path>{base / "trust/root.pem", fs::path("/etc/pki/other.pem")});
  REQUIRE(c.trust.issuer);
  CHECK(*c.trust.issuer == "CN=EM Test Code Signing CA,O=EM Test");
  CHECK(c.trust.eku == std::vector<std::string>{"1.3.6.1.5.5.7.3.3", "1.3.6.1.4.1.311.10.3.13"});
  CHECK(c.trust.crl_files == std::vector<fs::path>{base / "trust/root.crl"});
  CHECK_FALSE(c.trust.crl_fetch);
  CHECK(c.trust.revocation == em::revocation_mode::best_effort);
  CHECK_FALSE(c.trust.require_sequence);

  CHECK(c.store.backend == "sqlite");
  CHECK(c.store.path == base / "state/state.db");
  CHECK(c.log.dir == base / "logs");
  CHECK(c.log.level == "debug");
  CHECK(c.plugins.dir == base / "plugins");

  REQUIRE(c.iis.application_host);
  CHECK(*c.iis.application_host == base / "iis/config/applicationHost.config");
  CHECK(c.iis.variables == std::map<std::string, std::string>{
                               {"SystemDrive", "/srv/iis/C:"},
                               {"windir", "/srv/iis/C:/Windows"},
                               {"ExchangeInstallPath", (base / "exchange/V15").string()}});
  CHECK(c.iis.backups == 3);

  REQUIRE(c.plugins.tables.size() == 2);
  // Kept as the file wrote them (their types are the plugin's to check, once
  // it is loaded), with their place for its errors.
  const auto& apppool = c.plugins.tables.at("apppool");
  CHECK(apppool.at("stop_command").toml == "[ '/usr/local/bin/apppool-ctl', 'stop', '{name}' ]");
  CHECK(apppool.at("stop_command").column == 16);
  CHECK(apppool.at("retries").toml == "3");
  CHECK(apppool.at("force").toml == "true");
  CHECK(apppool.at("empty").toml == "[]");
  const auto& systemctl = c.plugins.tables.at("service").at("systemctl");
  CHECK(systemctl.toml == "'/usr/bin/systemctl'");
  CHECK(systemctl.line == apppool.at("stop_command").line + 7);
}

TEST_CASE("a relative configuration path anchors relative paths at its absolute folder") {
  auto c = em::parse_config("[log]\ndir = \"logs\"\n", "conf/emsd.conf");
  CHECK(c.log.dir == fs::current_path() / "conf/logs");
  CHECK(c.log.dir.is_absolute());
}

TEST_CASE("an empty file gives every default") {
  const auto c = em::parse_config("", "/etc/emservice/emsd.conf");
  const em::service_config d;
  CHECK(c.source == "/etc/emservice/emsd.conf");
  CHECK(c.server.name == host_name());
  CHECK(c.server.product == "Exchange2019");
  CHECK(c.server.build.empty());
  CHECK(c.server.role == "Mailbox");
  CHECK(c.feed.url.empty());
  CHECK_FALSE(c.feed.ca_file);
  CHECK(c.feed.diagnostics_url.empty());
  CHECK(c.feed.timeout == 30s);
  CHECK(c.feed.max_size == 1024u * 1024u);
  CHECK(c.schedule.initial_delay == 10min);
  CHECK(c.schedule.interval == 1h);
  CHECK(c.schedule.jitter == 0s);
  CHECK(c.trust.anchors.empty());
  CHECK_FALSE(c.trust.issuer);
  CHECK(c.trust.eku.empty());
  CHECK(c.trust.crl_files.empty());
  CHECK_FALSE(c.trust.crl_fetch);
  CHECK(c.trust.revocation == em::revocation_mode::require);
  CHECK(c.trust.require_sequence);
  CHECK(c.store.backend == "sqlite");
  CHECK(c.store.path == "/var/lib/emservice/state.db");
  CHECK(c.log.dir == "/var/log/emservice");
  CHECK(c.log.level == "info");
  CHECK(c.plugins.dir == "/usr/lib/emservice/plugins");
  CHECK(c.plugins.tables.empty());
  CHECK_FALSE(c.iis.application_host);
  CHECK(c.iis.variables.empty());
  CHECK(c.iis.backups == 5);
}

TEST_CASE("sections left out keep their defaults while others are set") {
  const auto c = em::parse_config(R"(
[feed]
url = "file:///var/lib/emservice/document.xml"
[schedule]
interval = "30m"
)",
                                  "/etc/emservice/emsd.conf");
  CHECK(c.feed.url == "file:///var/lib/emservice/document.xml");
  CHECK(c.feed.timeout == 30s);
  CHECK(c.schedule.interval == 30min);
  CHECK(c.schedule.initial_delay == 10min);
  CHECK(c.server.role == "Mailbox");
  CHECK(c.trust.revocation == em::revocation_mode::require);
}

TEST_CASE("jitter equal to the interval, and a zero initial delay, are accepted") {
  const auto c = em::parse_config(
      "[schedule]\ninitial_delay = \"0s\"\ninterval = \"10m\"\njitter = \"10m\"\n", "emsd.conf");
  CHECK(c.schedule.initial_delay == 0s);
  CHECK(c.schedule.jitter == 10min);
}

TEST_CASE("revocation modes round-trip through their names") {
  for (auto m :
       {em::revocation_mode::require, em::revocation_mode::best_effort, em::revocation_mode::off})
    CHECK(em::parse_revocation_mode(em::to_string(m)) == m);
  CHECK_FALSE(em::parse_revocation_mode("Off"));
  CHECK_FALSE(em::parse_revocation_mode(""));
  CHECK(em::parse_config("[trust]\nrevocation = \"off\"\n", "emsd.conf").trust.revocation ==
        em::revocation_mode::off);
}

TEST_CASE("trust.crl_fetch turns on fetching CRLs from distribution points") {
  const auto on = em::parse_config(
      "[trust]\ncrl_fetch = true\nrevocation = \"require\"\n[store]\npath = \"state/state.db\"\n",
      "/etc/emservice/emsd.conf");
  CHECK(on.trust.crl_fetch);
  CHECK(on.trust.crl_files.empty());
  CHECK(on.trust.revocation == em::revocation_mode::require);
  CHECK_FALSE(em::parse_config("[trust]\ncrl_fetch = false\n", "emsd.conf").trust.crl_fetch);
}
