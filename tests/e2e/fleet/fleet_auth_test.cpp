// SPEC 11's least privilege, with etcd's authentication on and the roles
// that tools/fleet/etcd-roles.sh (as docs/fleet.md shows) grants: a server's
// identity writes only its own keys and reads the organisation's.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "tests/e2e/fleet/fleet_fixture.hpp"
#include "tests/support/etcd/etcd_cluster.hpp"
#include "tests/support/test_paths.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

fs::path password_file(const fs::path& dir, const std::string& user) {
  auto file = dir / (user + ".password");
  write_text(file, user + "-secret\n");
  ::chmod(file.c_str(), 0600);
  return file;
}

std::string identity(const fs::path& password) {
  const auto user = password.stem().string();
  return "user = \"" + user + "\"\npassword_file = \"" + password.string() + "\"\n";
}

}  // namespace

TEST_CASE("a server's etcd identity writes its own keys only") {
  EM_SKIP_WITHOUT_ETCD();
  etcd_cluster etcd(1);
  fleet_fixture f(etcd.section(""));
  const auto& p = f.etcd.prefix;
  etcd.etcdctl({"user", "add", "root", "--new-user-password=root-secret", "--interactive=false"});
  etcd.etcdctl({"user", "grant-role", "root", "root"});
  etcd.etcdctl({"auth", "enable"});

  std::string endpoints;
  for (const auto& e : etcd.endpoints())
    endpoints += (endpoints.empty() ? "" : ",") + e;
  const std::map<std::string, std::string> env{{"ETCDCTL_ENDPOINTS", endpoints},
                                               {"ETCDCTL_CACERT", etcd.pki().ca.string()},
                                               {"ETCDCTL_CERT", etcd.pki().client_cert.string()},
                                               {"ETCDCTL_KEY", etcd.pki().client_key.string()},
                                               {"ETCDCTL_USER", "root:root-secret"}};
  const auto script = (source_dir() / "tools/fleet/etcd-roles.sh").string();
  auto roles = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv{script};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, std::chrono::seconds(60), env);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const auto admin_pw = password_file(f.dir.path(), "admin");
  const auto ex01_pw = password_file(f.dir.path(), "ex01");
  const auto ex02_pw = password_file(f.dir.path(), "ex02");
  roles({p, "admin", "admin", admin_pw.string()});
  CHECK_THAT(roles({p, "server", "EX01", ex01_pw.string()}),
             Catch::Contains("etcdctl role grant-permission emservice-server-ex01 readwrite " + p +
                             "state/ex01"));
  roles({p, "server", "EX02", ex02_pw.string()});

  const auto ex01 = f.fleet_server("EX01", "initial_delay = \"1h\"\n", identity(ex01_pw));
  const auto ex02 = f.fleet_server("EX02", "initial_delay = \"1h\"\n", identity(ex02_pw));
  f.publish(ping_config);

  // Each service registers, records its cycle and raises the floor as itself.
  for (const auto& conf : {ex01, ex02}) {
    auto once = f.emsd_once(conf);
    INFO(once.err);
    CHECK(once.exit_code == 0);
  }
  auto list = f.emctl(ex01, {"get-server"});  // reading the organisation is allowed
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("Name : EX01") && Catch::Contains("Name : EX02"));

  const std::string denied = ": permission denied to etcd user 'ex01'\n";
  auto org = f.emctl(ex01, {"set-org", "--mitigations-enabled=false"});
  CHECK(org.exit_code == 1);
  CHECK(org.err == "emctl: etcd refused to write " + p + "org" + denied);
  auto other = f.emctl(ex01, {"set-server", "EX02", "--blocked=M1"});
  CHECK(other.exit_code == 1);
  CHECK(other.err == "emctl: etcd refused to write " + p + "settings/ex02" + denied);
  // Settings are the administrators' to write, its own block list too.
  auto own = f.emctl(ex01, {"set-server", "--blocked=M1"});
  CHECK(own.exit_code == 1);
  CHECK(own.err == "emctl: etcd refused to write " + p + "settings/ex01" + denied);

  // EX02's identity cannot pass for EX01: its state is EX01's alone.
  auto impostor =
      f.fleet_server("EX01", "initial_delay = \"1h\"\n", identity(ex02_pw), "impostor.conf");
  auto as_other = f.emsd_once(impostor);
  CHECK(as_other.exit_code == 1);
  CHECK(as_other.err ==
        "emsd: etcd refused to write " + p + "state/ex01: permission denied to etcd user 'ex02'\n");
  CHECK(f.status_of(ex01, "EX01", "PING1.1") == "Applied");

  // An administrator's identity changes settings, with audit rows.
  const auto admin =
      f.fleet_server("EX01", "initial_delay = \"1h\"\n", identity(admin_pw), "admin.conf");
  CHECK(f.emctl(admin, {"set-org", "--mitigations-enabled=false"}).exit_code == 0);
  CHECK(f.emctl(admin, {"set-server", "EX02", "--blocked=M1"}).exit_code == 0);
  auto audit = f.emctl(admin, {"audit", "--json"});
  REQUIRE(audit.exit_code == 0);
  CHECK(nlohmann::json::parse(audit.out).size() == 2);
  CHECK(f.server_json(admin, "EX02")["MitigationsBlocked"] == nlohmann::json{"M1"});

  // A setting and its audit row are one transaction: no audit, no change,
  // for an identity that may write settings but not the audit trail.
  const auto half_pw = password_file(f.dir.path(), "half");
  etcd.etcdctl({"role", "add", "half"}, "root:root-secret");
  etcd.etcdctl({"role", "grant-permission", "half", "read", "--prefix=true", p},
               "root:root-secret");
  etcd.etcdctl({"role", "grant-permission", "half", "readwrite", "--prefix=true", p + "settings/"},
               "root:root-secret");
  etcd.etcdctl({"user", "add", "half", "--new-user-password=half-secret", "--interactive=false"},
               "root:root-secret");
  etcd.etcdctl({"user", "grant-role", "half", "half"}, "root:root-secret");
  const auto half =
      f.fleet_server("EX01", "initial_delay = \"1h\"\n", identity(half_pw), "half.conf");
  auto half_change = f.emctl(half, {"set-server", "EX02", "--blocked=M2"});
  CHECK(half_change.exit_code == 1);
  CHECK_THAT(half_change.err, Catch::Contains("permission denied to etcd user 'half'"));
  CHECK(f.server_json(admin, "EX02")["MitigationsBlocked"] == nlohmann::json{"M1"});
  CHECK(nlohmann::json::parse(f.emctl(admin, {"audit", "--json"}).out).size() == 2);

  // A wrong password is one clear line. (One etcd with auth for every step:
  // its set-up is most of this test's time.)
  write_text(ex01_pw, "not-the-password\n");
  auto wrong = f.emctl(ex01, {"get-org"});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err ==
        "emctl: etcd user 'ex01': etcdserver: authentication failed, invalid user ID or "
        "password\n");
}
