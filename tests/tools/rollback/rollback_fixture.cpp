#include "tests/tools/rollback/rollback_fixture.hpp"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

namespace fs = std::filesystem;

namespace {

std::string document() {
  return R"xml(<?xml version="1.0" encoding="utf-8"?>
<EOCS version="1.0.4">
  <Config id="M1" desc="Mitigation of CVE-2022-41040 via URL Rewrite configuration">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block autodiscover PowerShell requests">
        <Value>
          )xml" +
         m1_rule() + R"xml(
        </Value>
      </Action>
    </ActionList>
    <Rollback>Remove the rule "EEMS M1.1 PowerShell - inbound" from Default Web Site.</Rollback>
  </Config>
  <Config id="M2" desc="Turn off ECP and Unified Messaging">
    <ActionList>
      <Action type="DisableAppPool" scope="Server" desc="Stop the ECP app pool"><Value><AppPool name="MSExchangeECPAppPool"/></Value></Action>
      <Action type="DisableService" scope="Server" desc="Stop Unified Messaging"><Value><Service name="MSExchangeUM" mask="false"/></Value></Action>
    </ActionList>
  </Config>
</EOCS>
)xml";
}

}  // namespace

rollback_fixture::rollback_fixture() : pki(test_pki()) {
  const fs::path ctl = path("apppool-ctl");
  write_text(ctl, "#!/bin/sh\necho \"$*\" >> '" + apppool_calls.string() + "'\n");
  fs::permissions(ctl, fs::perms(0755));
  systemctl.add_unit("MSExchangeUM", true);
  systemctl.run("start", "MSExchangeUM");
  write_config();
}

void rollback_fixture::write_config(const std::string& extra, const std::string& plugins) {
  const std::string ctl = path("apppool-ctl").string();
  write_text(path("emsd.conf"),
             "[server]\nname = \"EX01\"\nproduct = \"Exchange2019\"\nbuild = \"15.2.1118.7\"\n"
             "[feed]\nurl = \"file://" +
                 path("feed.xml").string() + "\"\n" + "[trust]\nanchors = [\"" +
                 (pki / "root.pem").string() + "\"]\n" + "revocation = \"off\"\n" + extra +
                 "[store]\npath = \"state.db\"\n[log]\ndir = \"logs\"\n" + "[plugins]\ndir = \"" +
                 (plugins.empty() ? plugin_dir().string() : plugins) + "\"\n" +
                 // The build's folder also holds nginx, the other UrlRewrite plugin.
                 (plugins.empty() ? "enable = [\"ping\", \"rewrite\", \"apppool\", \"service\"]\n"
                                  : "") +
                 "[plugins.apppool]\nstop_command = [\"" + ctl + "\", \"stop\", \"{name}\"]\n" +
                 "start_command = [\"" + ctl + "\", \"start\", \"{name}\"]\n" +
                 "[plugins.service]\nsystemctl = \"" + systemctl.program().string() + "\"\n" +
                 tree.toml());
}

void rollback_fixture::sign(const std::string& sequence) {
  write_text(path("unsigned.xml"), document());
  auto r = run_command({emfeed_path().string(), "sign", "--key", (pki / "signer.key").string(),
                        "--cert", (pki / "signer.pem").string(), "--chain",
                        (pki / "chain.pem").string(), "--sequence", sequence,
                        path("unsigned.xml").string(), path("feed.xml").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

command_result rollback_fixture::emsd_once() {
  return run_command({emsd_path().string(), "--config", path("emsd.conf").string(), "--once"});
}

command_result rollback_fixture::emctl(std::vector<std::string> args) {
  args.insert(args.begin(), {emctl_path().string(), "--config", path("emsd.conf").string()});
  return run_command(args);
}

std::string rollback_fixture::log_text() const {
  return read_text(path("logs/MitigationService.log"));
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto p = text.find(part); p != std::string::npos; p = text.find(part, p + 1))
    ++n;
  return n;
}

}  // namespace em::test
