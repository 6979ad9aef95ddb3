// emctl store copy --from sqlite:PATH --to etcd (SPEC 11), the real emctl
// from an administrator's SQLite store into the etcd member the run shares.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/store/etcd/etcd_store.hpp"
#include "tests/support/etcd/etcd_cluster.hpp"
#include "tests/tools/server_commands/emctl_fixture.hpp"

using em::test::emctl_fixture;

namespace {

// The fixture's configuration, with the organisation's [store.etcd] added.
em::etcd_section add_etcd(emctl_fixture& f, const em::test::shared_etcd_info& etcd) {
  auto section = etcd.section(em::test::unique_prefix("copy"));
  std::ofstream out(f.config_file, std::ios::app);
  out << "[store.etcd]\nendpoints = [\"" << section.endpoints.at(0) << "\"]\nprefix = \""
      << section.prefix << "\"\nca_file = \"" << section.ca_file->string() << "\"\ncert_file = \""
      << section.cert_file->string() << "\"\nkey_file = \"" << section.key_file->string() << "\"\n";
  return section;
}

}  // namespace

TEST_CASE("emctl store copy moves an SQLite store into an empty etcd prefix") {
  const auto* etcd = em::test::shared_etcd();
  if (!etcd) {
    WARN("skipped: etcd is not installed (Debian's etcd-server)");
    return;
  }
  emctl_fixture f;
  REQUIRE(f.emctl({"set-server", "EX02", "--blocked=M1"}).exit_code == 0);
  const auto section = add_etcd(f, *etcd);
  const auto from = "sqlite:" + f.store_file.string();

  auto r = f.emctl({"store", "copy", "--from", from, "--to", "etcd"});
  REQUIRE(r.exit_code == 0);
  auto copied = em::open_etcd_store(section);
  CHECK(r.out == "Copied organisation " + copied->get_org().organization_id + " from " + from +
                     " to etcd prefix " + section.prefix +
                     ": 2 server(s), 0 action status(es), 0 document(s), 0 plugin value(s), 1 "
                     "audit entry\n");
  CHECK(copied->find_server("EX01")->applied == std::vector<std::string>{"M1.1", "PING1.1"});
  CHECK(copied->find_server("EX02")->blocked == std::vector<std::string>{"M1"});
  const auto audit = copied->audit_log();
  REQUIRE(audit.size() == 2);  // the copied row, then the copy itself
  CHECK(audit[0].setting == "MitigationsBlocked");
  CHECK(audit[1].setting == "StoreCopy");
  CHECK(audit[1].user == f.expected_user());
  CHECK(audit[1].old_value == from);

  auto again = f.emctl({"store", "copy", "--from", from, "--to", "etcd"});
  CHECK(again.exit_code == 2);
  CHECK(again.err.rfind("emctl: the etcd prefix " + section.prefix + " is not empty", 0) == 0);
}

TEST_CASE("emctl store copy says what is wrong with its arguments") {
  emctl_fixture f;
  auto bad_from = f.emctl({"store", "copy", "--from", f.store_file.string(), "--to", "etcd"});
  CHECK(bad_from.exit_code == 2);
  CHECK(bad_from.err == "emctl: --from must be sqlite:PATH (the SQLite store to copy), not '" +
                            f.store_file.string() + "'\n");
  auto bad_to = f.emctl({"store", "copy", "--from", "sqlite:x.db", "--to", "consul"});
  CHECK(bad_to.exit_code == 2);
  CHECK(bad_to.err ==
        "emctl: --to must be etcd (the [store.etcd] of the configuration), not 'consul'\n");
  auto no_section = f.emctl({"store", "copy", "--from", "sqlite:x.db", "--to", "etcd"});
  CHECK(no_section.exit_code == 2);
  CHECK(no_section.err ==
        "emctl: " + f.config_file.string() +
            ": no [store.etcd] table: say where to copy to (endpoints, prefix)\n");
}
