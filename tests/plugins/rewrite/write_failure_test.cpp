// Real write failures (root defeats permission bits, so each is made another
// way): a full file system (a tiny tmpfs), a folder that cannot take new
// files (the immutable attribute, or mode 0555 when not root), and a file
// size limit that stops the new file half-way (RLIMIT_FSIZE). Each time the
// action fails with the reason and the old file is left byte for byte, with
// no temporary file or backup left behind.
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include <catch2/catch.hpp>

#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

std::set<std::string> names_in(const fs::path& folder) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(folder))
    out.insert(e.path().filename().string());
  return out;
}

emservice::action m1_on(const std::string& scope, const std::string& target) {
  return make_action("M1.1", "UrlRewrite", scope, target, m1_rule());
}

// A tmpfs of a few pages, unmounted (lazily) when the test ends.
class tiny_tmpfs {
 public:
  explicit tiny_tmpfs(const fs::path& at) : at_(at) {
    fs::create_directories(at);
    mounted_ = ::mount("tmpfs", at.c_str(), "tmpfs", 0, "size=32k,mode=0755") == 0;
    if (!mounted_) why_ = std::strerror(errno);
  }
  ~tiny_tmpfs() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string why_;
};

// The immutable attribute on a folder: not even root can add a file to it.
class immutable_folder {
 public:
  explicit immutable_folder(const fs::path& folder) : fd_(::open(folder.c_str(), O_RDONLY)) {
    if (fd_ >= 0 && ::ioctl(fd_, FS_IOC_GETFLAGS, &flags_) == 0) {
      int set = flags_ | FS_IMMUTABLE_FL;
      on_ = ::ioctl(fd_, FS_IOC_SETFLAGS, &set) == 0;
    }
    if (!on_) why_ = std::strerror(errno);
  }
  ~immutable_folder() { off(); }
  void off() {
    if (on_) ::ioctl(fd_, FS_IOC_SETFLAGS, &flags_);
    on_ = false;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool on() const { return on_; }
  const std::string& why() const { return why_; }

 private:
  int fd_;
  int flags_ = 0;
  bool on_ = false;
  std::string why_;
};

}  // namespace

TEST_CASE("a full file system: Failed, the old web.config intact") {
  iis_fixture tree;
  const fs::path drive = tree.dir().path() / "full";
  tiny_tmpfs disk(drive);
  if (!disk.mounted()) {
    WARN("skipped: cannot mount a tmpfs here (" << disk.why() << ")");
    return;
  }
  const fs::path folder = drive / "inetpub/wwwroot";
  fs::create_directories(folder);
  fs::copy_file(tree.site_root_config(), folder / "web.config");
  const std::string original = read_text(folder / "web.config");

  // Fill the disk, then free one page: the backup (a copy of the old file)
  // still fits, the new, larger file does not.
  {
    int fd = ::open((drive / "filler").c_str(), O_WRONLY | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    std::string page(4096, 'x');
    off_t size = 0;
    for (ssize_t n; (n = ::write(fd, page.data(), page.size())) > 0;)
      size += n;
    REQUIRE(errno == ENOSPC);
    REQUIRE(::ftruncate(fd, size - static_cast<off_t>(page.size())) == 0);
    ::close(fd);
  }
  auto iis = tree.iis();
  iis.variables["SystemDrive"] = drive.string();
  plugin_harness plugins(plugins_with("rewrite"), iis);
  const auto before = names_in(folder);

  auto r = plugins.applier("UrlRewrite").apply(m1_on("Site", "Default Web Site"));
  INFO(r.message);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("No space left on device"));
  CHECK(read_text(folder / "web.config") == original);
  CHECK(names_in(folder) == before);
}

TEST_CASE("a folder that cannot take new files: Failed, the old web.config intact") {
  iis_fixture tree;
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  const fs::path folder = tree.front_end("owa");
  const std::string original = read_text(folder / "web.config");
  const auto before = names_in(folder);
  auto a = m1_on("VDir", "Default Web Site/owa");

  std::optional<immutable_folder> immutable;
  if (::geteuid() == 0) {
    immutable.emplace(folder);
    if (!immutable->on()) {
      WARN("skipped: cannot set the immutable attribute here (" << immutable->why() << ")");
      return;
    }
  } else {
    fs::permissions(folder, fs::perms(0555));
  }
  auto r = plugins.applier("UrlRewrite").apply(a);
  if (immutable)
    immutable->off();
  else
    fs::permissions(folder, fs::perms(0755));
  INFO(r.message);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("cannot create the backup"));
  CHECK(read_text(folder / "web.config") == original);
  CHECK(names_in(folder) == before);
  CHECK(plugins.applier("UrlRewrite").check(a).state == emservice::check_state::not_in_effect);

  // The same action succeeds once the folder takes files again.
  CHECK(plugins.applier("UrlRewrite").apply(a).ok);
}

TEST_CASE("a write cut short by the file size limit: Failed, the old web.config intact") {
  iis_fixture tree;
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  const fs::path file = tree.front_end("owa") / "web.config";
  // Larger than the store's file, which apply writes to first (what it found,
  // for rollback) under the same limit.
  write_text(file, read_text(file) + "<!-- " + std::string(1 << 20, 'x') + " -->\n");
  const std::string original = read_text(file);
  const auto before = names_in(file.parent_path());
  auto& rewrite = plugins.applier("UrlRewrite");
  auto a = m1_on("VDir", "Default Web Site/owa");

  // In a child process, so the limit stays there: the backup (as large as the
  // old file) fits under it, the new file does not.
  int report[2];
  REQUIRE(::pipe(report) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(report[0]);
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{original.size() + 16, original.size() + 16};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto r = rewrite.apply(a);
    std::string text = (r.ok ? "ok: " : "failed: ") + r.message;
    ssize_t ignored = ::write(report[1], text.data(), text.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(report[1]);
  std::string message;
  char buf[512];
  for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;)
    message.append(buf, static_cast<std::size_t>(n));
  ::close(report[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(message);
  CHECK(message.rfind("failed: cannot write the new ", 0) == 0);
  CHECK_THAT(message, Catch::Contains("File too large"));
  CHECK(read_text(file) == original);
  CHECK(names_in(file.parent_path()) == before);
}
