#include <catch2/catch.hpp>

#include "tests/tools/server_commands/emctl_fixture.hpp"

using em::test::emctl_fixture;

TEST_CASE("set-server changes each setting of the configured server and audits it") {
  emctl_fixture f;
  std::string setting, old_value, new_value;

  SECTION("--mitigations-enabled") {
    CHECK(f.emctl({"set-server", "--mitigations-enabled=false"}).exit_code == 0);
    CHECK_FALSE(f.server("EX01").mitigations_enabled);
    setting = "MitigationsEnabled", old_value = "True", new_value = "False";
  }
  SECTION("--blocked") {
    CHECK(f.emctl({"set-server", "--blocked=M1,M2.1"}).exit_code == 0);
    CHECK(f.server("EX01").blocked == std::vector<std::string>{"M1", "M2.1"});
    setting = "MitigationsBlocked", old_value = "{}", new_value = "{M1, M2.1}";
  }
  SECTION("--data-collection-enabled (any case)") {
    CHECK(f.emctl({"set-server", "--data-collection-enabled", "TRUE"}).exit_code == 0);
    CHECK(f.server("EX01").data_collection_enabled);
    setting = "DataCollectionEnabled", old_value = "False", new_value = "True";
  }
  SECTION("--internet-web-proxy") {
    CHECK(f.emctl({"set-server", "--internet-web-proxy=http://proxy.contoso.com:8080"}).exit_code ==
          0);
    CHECK(f.server("EX01").internet_web_proxy == "http://proxy.contoso.com:8080");
    setting = "InternetWebProxy", old_value = "", new_value = "http://proxy.contoso.com:8080";
  }
  const auto log = f.audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].user == f.expected_user());
  CHECK(log[0].target == "EX01");
  CHECK(log[0].setting == setting);
  CHECK(log[0].old_value == old_value);
  CHECK(log[0].new_value == new_value);
  CHECK(f.server("EX02").blocked.empty());  // only the configured server changed
}

TEST_CASE("set-server NAME changes that server, several settings at once") {
  emctl_fixture f;
  auto r = f.emctl({"set-server", "ex02", "--mitigations-enabled", "false", "--blocked", "M1",
                    "--data-collection-enabled=true", "--internet-web-proxy", "https://p:3128"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const auto ex02 = f.server("EX02");
  CHECK_FALSE(ex02.mitigations_enabled);
  CHECK(ex02.blocked == std::vector<std::string>{"M1"});
  CHECK(ex02.data_collection_enabled);
  CHECK(ex02.internet_web_proxy == "https://p:3128");
  CHECK(f.server("EX01").mitigations_enabled);

  const auto log = f.audit_log();
  REQUIRE(log.size() == 4);
  for (const auto& e : log) {
    CHECK(e.target == "EX02");
    CHECK(e.user == f.expected_user());
  }

  SECTION("the Format-List view shows the change") {
    r = f.emctl({"get-server", "EX02", "--property", "MitigationsBlocked,InternetWebProxy"});
    CHECK(r.out == "MitigationsBlocked : {M1}\nInternetWebProxy : https://p:3128\n");
  }
}

TEST_CASE("set-server --blocked= and --internet-web-proxy= clear") {
  emctl_fixture f;
  REQUIRE(
      f.emctl({"set-server", "--blocked=M1,M2", "--internet-web-proxy=http://p:8080"}).exit_code ==
      0);

  SECTION("both at once, the = form") {
    CHECK(f.emctl({"set-server", "EX01", "--blocked=", "--internet-web-proxy="}).exit_code == 0);
  }
  SECTION("each last on the line") {
    CHECK(f.emctl({"set-server", "--internet-web-proxy=http://q:1", "--blocked="}).exit_code == 0);
    CHECK(f.emctl({"set-server", "--internet-web-proxy="}).exit_code == 0);
  }
  SECTION("an empty argument") {
    CHECK(f.emctl({"set-server", "--blocked", "", "--internet-web-proxy", ""}).exit_code == 0);
  }
  const auto ex01 = f.server("EX01");
  CHECK(ex01.blocked.empty());
  CHECK(ex01.internet_web_proxy.empty());
  const auto log = f.audit_log();
  REQUIRE(log.size() >= 4);
  CHECK(log.back().new_value == "");
}

TEST_CASE("a bad boolean is bad usage and changes nothing") {
  emctl_fixture f;
  auto r = f.emctl({"set-server", "--blocked=M1", "--mitigations-enabled=yes"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "emctl: bad boolean 'yes' for --mitigations-enabled (true or false)\n");
  r = f.emctl({"set-server", "--data-collection-enabled", "1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "emctl: bad boolean '1' for --data-collection-enabled (true or false)\n");
  CHECK(f.server("EX01").blocked.empty());
  CHECK(f.server("EX01").mitigations_enabled);
  CHECK(f.audit_log().empty());
}

TEST_CASE("a malformed blocked ID is bad input and changes nothing") {
  emctl_fixture f;
  auto r = f.emctl({"set-server", "--mitigations-enabled=false", "--blocked=M1,M1.x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "emctl: malformed mitigation ID 'M1.x' in MitigationsBlocked\n");
  CHECK(f.emctl({"set-server", "--blocked=M1,,M2"}).exit_code == 2);
  CHECK(f.server("EX01").mitigations_enabled);
  CHECK(f.server("EX01").blocked.empty());
  CHECK(f.audit_log().empty());
}

TEST_CASE("a bad proxy URL is bad input and changes nothing") {
  emctl_fixture f;
  for (const char* bad : {"proxy.contoso.com:8080", "ftp://proxy", "http://"}) {
    auto r = f.emctl(
        {"set-server", "--mitigations-enabled=false", std::string("--internet-web-proxy=") + bad});
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind(std::string("emctl: bad URL '") + bad + "' for --internet-web-proxy", 0) ==
          0);
  }
  CHECK(f.server("EX01").mitigations_enabled);
  CHECK(f.audit_log().empty());
}

TEST_CASE("set-server of an unknown server is bad input") {
  emctl_fixture f;
  auto r = f.emctl({"set-server", "EX09", "--mitigations-enabled=false"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "emctl: unknown server 'EX09'\n");
  CHECK(f.audit_log().empty());
}

TEST_CASE("set-server with nothing to change is bad usage") {
  emctl_fixture f;
  auto r = f.emctl({"set-server", "EX01"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("emctl: nothing to change", 0) == 0);
}

TEST_CASE("MitigationsApplied cannot be set") {
  emctl_fixture f;
  for (const char* arg : {"--mitigations-applied=M9.1", "--mitigations-applied"}) {
    auto r = f.emctl({"set-server", arg});
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "emctl: MitigationsApplied is written by the service only and cannot be set; use "
          "--blocked\n");
  }
  CHECK(f.server("EX01").applied == std::vector<std::string>{"M1.1", "PING1.1"});
  CHECK(f.audit_log().empty());

  auto help = f.emctl({"set-server", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("MitigationsApplied is written by the service only") != std::string::npos);
}

TEST_CASE("before emsd first runs, set-server creates this host's server and blocks") {
  emctl_fixture f(emctl_fixture::start::fresh_install);
  auto r = f.emctl({"get-server"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "emctl: no server in the store yet; emsd adds its own at start\n");

  r = f.emctl({"set-server", "--blocked=M1"});
  REQUIRE(r.exit_code == 0);
  const auto ex01 = f.server("EX01");
  CHECK(ex01.blocked == std::vector<std::string>{"M1"});
  CHECK(ex01.build == "15.2.1118.7");
  CHECK(ex01.applied.empty());
  const auto log = f.audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].setting == "MitigationsBlocked");
  CHECK(log[0].new_value == "{M1}");

  // Only this host's server is created; another name is still unknown.
  r = f.emctl({"set-server", "EX02", "--blocked=M1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "emctl: unknown server 'EX02'\n");
}
