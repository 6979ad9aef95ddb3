// Events reach journald (with EVENT_ID as a field) or syslog. Neither runs on
// a build machine, so the test stands in for them: it listens where they
// listen, when that place is free and it may create it (root), and reads what
// the real event_sink sends.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/log/event_sink.hpp"

namespace fs = std::filesystem;

namespace {

// A datagram socket bound at `path`, removed (with the folders it made) at the end.
class fake_listener {
 public:
  explicit fake_listener(const fs::path& path) : path_(path) {
    for (auto p = path.parent_path(); !fs::exists(p); p = p.parent_path())
      made_.push_back(p);
    fs::create_directories(path.parent_path());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~fake_listener() {
    ::close(fd_);
    ::unlink(path_.c_str());
    for (auto& d : made_)
      fs::remove(d);
  }
  // Other tests run in parallel and may log here too while the stand-in
  // exists: skip whatever does not carry this test's message.
  std::string receive(const std::string& marker) {
    char buf[65536];
    for (;;) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return {};
      std::string got(buf, static_cast<size_t>(n));
      if (got.find(marker) != std::string::npos) return got;
    }
  }

 private:
  fs::path path_;
  std::vector<fs::path> made_;
  int fd_ = -1;
};

bool can_stand_in(const fs::path& path) {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to listen at " << path);
    return false;
  }
  if (fs::exists(path)) {
    WARN("skipped: a real service listens at " << path);
    return false;
  }
  return true;
}

// The PID tells this test's event from those of emsd runs in parallel tests.
const std::string marker = "Rejected the mitigation document: bad digest (event_sink_test " +
                           std::to_string(::getpid()) + ")";
const em::event_record event{em::event_id::error, em::log_operation::verify_mitigation,
                             em::log_level::error, marker};

}  // namespace

// One test case, so the journald stand-in is gone before the syslog part looks.
TEST_CASE("events go to journald with EVENT_ID as a field, else to syslog") {
  const fs::path journal = "/run/systemd/journal/socket";
  if (can_stand_in(journal)) {
    fake_listener journald(journal);
    em::event_sink sink;
    sink.send(event);
    auto entry = journald.receive(marker);
    CHECK_THAT(entry, Catch::Contains("MESSAGE=" + marker + "\n"));
    CHECK_THAT(entry, Catch::Contains("EVENT_ID=1008\n"));
    CHECK_THAT(entry, Catch::Contains("SYSLOG_IDENTIFIER=emservice\n"));
    CHECK_THAT(entry, Catch::Contains("PRIORITY=3\n"));
    CHECK_THAT(entry, Catch::Contains("EM_OPERATION=VerifyMitigation\n"));
  }
  if (fs::exists(journal)) return;  // a real journald: syslog is not used here
  const fs::path dev_log = "/dev/log";
  if (!can_stand_in(dev_log)) return;
  fake_listener syslogd(dev_log);
  em::event_sink sink;
  sink.send(event);
  auto line = syslogd.receive(marker);
  CHECK_THAT(line, Catch::StartsWith("<27>"));  // facility daemon (3) * 8 + err (3)
  CHECK_THAT(line, Catch::Contains("emservice["));
  CHECK_THAT(line, Catch::EndsWith("EVENT_ID=1008 VerifyMitigation: " + marker));
}
