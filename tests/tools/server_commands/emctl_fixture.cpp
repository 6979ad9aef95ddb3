#include "tests/tools/server_commands/emctl_fixture.hpp"

#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/store/sqlite_store.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

emctl_fixture::emctl_fixture(start at)
    : config_file(dir / "emsd.conf"), store_file(dir / "state.db") {
  // A relative store path: the loader resolves it against the configuration's folder.
  write_text(config_file,
             "[server]\nname = \"EX01\"\nbuild = \"15.2.1118.7\"\n[store]\npath = \"state.db\"\n");
  set_user();
  if (at == start::fresh_install) return;
  auto s = open();
  s->register_server("EX01", "Exchange2019", "15.2.1118.7");
  s->register_server("EX02", "Exchange2016", "15.1.2507.6");
  cycle_record c;
  c.checked_at = *parse_rfc3339("2026-11-27T10:00:00Z");
  c.result = "Completed";
  c.applied = {"M1.1", "PING1.1"};
  c.accepted_sequence = 42;
  c.accepted_digest = "digest";
  s->record_cycle("EX01", c);
}

void emctl_fixture::set_user() {
  // emctl names the administrator from the OS, or SUDO_USER when root runs it.
  if (::getuid() == 0) {
    env_["SUDO_USER"] = "alice";
    user_ = "alice (via sudo)";
  } else if (passwd* pw = ::getpwuid(::getuid())) {
    user_ = pw->pw_name;
  }
}

command_result emctl_fixture::emctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{emctl_path().string(), "--config", config_file.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv, std::chrono::seconds(30), env_);
  UNSCOPED_INFO("emctl exit " << r.exit_code << "\nstdout:\n" << r.out << "stderr:\n" << r.err);
  return r;
}

server_record emctl_fixture::server(const std::string& name) {
  auto r = open()->find_server(name);
  REQUIRE(r);
  return *r;
}

std::vector<audit_entry> emctl_fixture::audit_log() {
  return open()->audit_log();
}

std::unique_ptr<store> emctl_fixture::open() {
  return open_sqlite_store(store_file);
}

}  // namespace em::test
