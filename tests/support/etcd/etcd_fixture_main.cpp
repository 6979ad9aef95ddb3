// em_etcd_fixture start|stop DIR: the etcd member that every test of a CTest
// run shares (the CTest fixture "etcd"), so a test case, which CTest runs as
// a process of its own, does not start one each. Each test uses a prefix of
// its own (unique_prefix). The member outlives this program; `timeout` ends
// it after an hour should the "stop" step never run.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "tests/support/etcd/etcd_launch.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace em::test;
using namespace std::chrono_literals;

void stop(const std::filesystem::path& dir) {
  if (auto pid = fixture_pid(dir); pid && *pid > 0) {
    ::kill(*pid, SIGTERM);
    for (int i = 0; i < 50 && ::kill(*pid, 0) == 0; ++i)
      std::this_thread::sleep_for(100ms);
    ::kill(*pid, SIGKILL);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

// Runs `argv` in a session of its own, detached from this program; returns its PID.
int spawn_detached(const std::vector<std::string>& argv, const std::filesystem::path& dir) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t first = ::fork();
  if (first < 0) throw std::runtime_error("fork failed");
  if (first == 0) {
    ::setsid();
    const pid_t second = ::fork();
    if (second == 0) {
      int null = ::open("/dev/null", O_RDWR);
      int log = ::open((dir / "etcd.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(null, 0);
      ::dup2(log, 1);
      ::dup2(log, 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    const int pid = second;
    (void)!::write(fds[1], &pid, sizeof pid);
    ::_exit(0);
  }
  ::close(fds[1]);
  int pid = -1;
  (void)!::read(fds[0], &pid, sizeof pid);
  ::close(fds[0]);
  ::waitpid(first, nullptr, 0);
  return pid;
}

void start(const std::filesystem::path& dir) {
  stop(dir);
  std::filesystem::create_directories(dir);
  shared_etcd_info info;
  info.pki = make_etcd_pki(dir / "pki");
  etcd_member_spec spec{dir, info.pki, free_member_ports(1), 0,
                        "emtest-fixture-" + std::to_string(::getpid())};
  std::vector<std::string> argv{"timeout", "--kill-after=5", "3600"};
  for (auto& a : member_command(spec))
    argv.push_back(a);
  const int pid = spawn_detached(argv, dir);
  info.endpoints = {"https://127.0.0.1:" + std::to_string(spec.ports[0].client)};
  wait_until_healthy(info.endpoints, info.pki, 30s);
  write_fixture(dir, info, pid);
  std::cout << "etcd (pid " << pid << ") serves " << info.endpoints[0] << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop")) {
    std::cerr << "usage: em_etcd_fixture start|stop DIR\n";
    return 2;
  }
  try {
    if (std::string(argv[1]) == "start") {
      if (run_command({"sh", "-c", "command -v etcd"}).exit_code != 0) {
        std::cout << "etcd is not installed: the tests start none and say they are skipped\n";
        return 0;
      }
      start(argv[2]);
    } else {
      stop(argv[2]);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "em_etcd_fixture: " << e.what() << "\n";
    return 1;
  }
}
