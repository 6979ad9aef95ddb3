// SPEC 14 on the running system: the main package installs (creating the
// emservice user and the state and log folders as the unit declares them),
// its programs and man pages work, removal keeps the state and the
// configuration, and purge leaves no file behind.
//
// This changes the host, so it runs only as root, only where dpkg works and
// only when nothing of EM Service is installed; whatever happens, it purges
// what it installed and removes the user and group it caused to be created.
#include <catch2/catch.hpp>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "tests/e2e/package/package_builder.hpp"
#include "tests/support/file_lock.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

bool package_installed(const std::string& name) {
  auto r = run_command({"dpkg-query", "-W", "-f=${Status}", name});
  return r.exit_code == 0 && r.out.find("installed") != std::string::npos &&
         r.out.find("not-installed") == std::string::npos;
}

bool user_exists(const char* name) {
  return ::getpwnam(name) != nullptr;
}
bool group_exists(const char* name) {
  return ::getgrnam(name) != nullptr;
}

// Everything the test changed on the host, undone in reverse on every exit.
class host_changes {
 public:
  host_changes() : had_user_(user_exists("emservice")), had_group_(group_exists("emservice")) {}
  ~host_changes() {
    if (package_installed("emservice") || !purged_)
      run_command({"dpkg", "--purge", "emservice"}, std::chrono::minutes(2));
    if (!had_user_ && user_exists("emservice")) run_command({"deluser", "--quiet", "emservice"});
    if (!had_group_ && group_exists("emservice")) run_command({"delgroup", "--quiet", "emservice"});
  }
  host_changes(const host_changes&) = delete;
  host_changes& operator=(const host_changes&) = delete;
  void purged() { purged_ = true; }

 private:
  bool had_user_, had_group_;
  bool purged_ = false;
};

// dpkg with a few tries while another dpkg or apt holds its lock.
command_result dpkg(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"dpkg"};
  argv.insert(argv.end(), args.begin(), args.end());
  command_result r;
  for (int attempt = 0; attempt < 10; ++attempt) {
    r = run_command(argv, std::chrono::minutes(3));
    if (r.exit_code == 0 || r.err.find("lock") == std::string::npos) break;
    ::sleep(3);
  }
  return r;
}

std::string why_not_here() {
  if (::geteuid() != 0) return "needs root (it installs the package into this system)";
  if (run_command({"dpkg", "--version"}).exit_code != 0) return "dpkg is not usable here";
  if (package_installed("emservice") || package_installed("emservice-dev"))
    return "EM Service is installed on this host already; the test leaves it alone";
  for (const char* p : {"/etc/emservice", "/var/lib/emservice", "/var/log/emservice",
                        "/usr/lib/emservice", "/usr/sbin/emsd"})
    if (fs::exists(p)) return std::string(p) + " exists (not the test's); the test leaves it alone";
  return {};
}

std::string owner_and_mode(const char* path) {
  struct stat st {};
  if (::stat(path, &st) != 0) return "missing";
  const group* g = ::getgrgid(st.st_gid);
  const passwd* u = ::getpwuid(st.st_uid);
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
  return std::string(u ? u->pw_name : "?") + ":" + (g ? g->gr_name : "?") + " " + mode;
}

}  // namespace

TEST_CASE("issue_17_package: install, run, remove and purge on this system leave no file behind") {
  if (auto why = why_not_here(); !why.empty()) {
    WARN("skipped: " << why);
    return;
  }
  // One cycle at a time on this host, whichever worktree runs it.
  file_lock lock("/run/lock/emservice-package-test.lock");
  if (auto why = why_not_here(); !why.empty()) {  // another run may have just finished
    WARN("skipped: " << why);
    return;
  }

  temp_dir dir("empackage");
  const auto built = build_packages(false, dir.path());
  INFO(built.output);
  REQUIRE(!built.main.empty());

  host_changes changes;
  auto install = dpkg({"--install", built.main.string()});
  INFO("dpkg --install: " << install.out << install.err);
  REQUIRE(install.exit_code == 0);

  // What the postinst made matches what emsd.service declares.
  CHECK(user_exists("emservice"));
  CHECK(owner_and_mode("/var/lib/emservice") == "root:emservice 0750");
  CHECK(owner_and_mode("/var/log/emservice") == "root:emservice 0750");
  // Registered (purge cleans it up) but not enabled: it has no trust anchor yet.
  CHECK(fs::exists("/var/lib/systemd/deb-systemd-helper-enabled/emsd.service.dsh-also"));
  CHECK(
      !fs::exists(fs::symlink_status("/etc/systemd/system/multi-user.target.wants/emsd.service")));

  auto version = run_command({"/usr/sbin/emsd", "--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("emsd (EM Service) " EM_PROJECT_VERSION));
  auto help = run_command({"/usr/bin/emctl", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("get-server"));
  auto man = run_command({"man", "-w", "emctl"});
  CHECK(man.exit_code == 0);
  CHECK(man.out == "/usr/share/man/man8/emctl.8.gz\n");
  // The installed configuration is the package's, and it parses.
  auto verify = run_command({"/usr/bin/emctl", "verify", "/etc/emservice/emsd.conf"});
  CHECK_THAT(verify.err, Catch::Contains("/etc/emservice/trust/"));

  // Every file the package put in place, as dpkg knows them.
  auto listed = run_command({"dpkg", "-L", "emservice"});
  REQUIRE(listed.exit_code == 0);
  std::vector<std::string> paths;
  std::istringstream in(listed.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line != "/." &&
        (!fs::is_directory(line) || line.find("emservice") != std::string::npos))
      paths.push_back(line);
  CHECK(paths.size() > 15);

  // Removal keeps the state, the logs and the configuration.
  auto remove = dpkg({"--remove", "emservice"});
  INFO("dpkg --remove: " << remove.out << remove.err);
  CHECK(remove.exit_code == 0);
  CHECK(fs::exists("/var/lib/emservice"));
  CHECK(fs::exists("/var/log/emservice"));
  CHECK(fs::exists("/etc/emservice/emsd.conf"));
  CHECK(!fs::exists("/usr/sbin/emsd"));

  auto purge = dpkg({"--purge", "emservice"});
  INFO("dpkg --purge: " << purge.out << purge.err);
  CHECK(purge.exit_code == 0);
  changes.purged();
  CHECK(!package_installed("emservice"));
  for (const auto& p : paths) {
    INFO(p << " is still there after purge");
    CHECK(!fs::exists(fs::symlink_status(p)));
  }
  for (const char* p : {"/etc/emservice", "/var/lib/emservice", "/var/log/emservice",
                        "/etc/systemd/system/emsd.service",
                        "/etc/systemd/system/multi-user.target.wants/emsd.service",
                        "/var/lib/systemd/deb-systemd-helper-enabled/emsd.service.dsh-also",
                        "/var/lib/systemd/deb-systemd-helper-masked/emsd.service"}) {
    INFO(p << " is still there after purge");
    CHECK(!fs::exists(fs::symlink_status(p)));
  }
}
