// run_process: no shell, output and exit status, a time limit that takes the
// whole process group, bounded output, and nothing of the caller's leaking in.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "core/util/error.hpp"
#include "core/util/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using em::run_process;

namespace {

// The pid a shell wrote to `file`, 0 when none.
int pid_in(const std::filesystem::path& file) {
  int pid = 0;
  std::ifstream(file) >> pid;
  return pid;
}

// Gone, or a zombie waiting for its reaper: it runs no more.
bool ended(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("State:", 0) == 0) return line.find('Z') != std::string::npos;
  return true;
}

}  // namespace

TEST_CASE("a program's output and exit code are collected, and no shell reads its arguments") {
  auto r = run_process({"/bin/sh", "-c", "echo out; echo err >&2; exit 7"}, 5s);
  CHECK(r.exit_code == 7);
  CHECK(r.signal == 0);
  CHECK_FALSE(r.timed_out);
  CHECK_FALSE(r.truncated);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");

  auto literal = run_process({"/bin/echo", "a; rm -rf /", "$HOME", "{name}"}, 5s);
  CHECK(literal.exit_code == 0);
  CHECK(literal.out == "a; rm -rf / $HOME {name}\n");

  auto env =
      run_process({"/bin/sh", "-c", "echo \"$EM_PROCESS_TEST\""}, 5s, {{"EM_PROCESS_TEST", "set"}});
  CHECK(env.out == "set\n");
}

TEST_CASE("a program that cannot start throws, naming it, and one ended by a signal says which") {
  CHECK_THROWS_WITH(run_process({"/nonexistent/program"}, 5s),
                    "cannot run /nonexistent/program: No such file or directory");
  CHECK_THROWS_AS(run_process({}, 5s), em::error);

  auto killed = run_process({"/bin/sh", "-c", "kill -TERM $$"}, 5s);
  CHECK(killed.signal == SIGTERM);
  CHECK(killed.exit_code == 128 + SIGTERM);
  CHECK_FALSE(killed.timed_out);
}

TEST_CASE("at the limit the whole process group is killed, a grandchild holding the pipes too") {
  em::test::temp_dir dir("emproc");
  const auto pid_file = dir / "grandchild.pid";
  auto started = std::chrono::steady_clock::now();
  auto r = run_process(
      {"/bin/sh", "-c", "sleep 30 & echo $! > '" + pid_file.string() + "'; echo waiting; wait"},
      300ms);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(r.timed_out);
  CHECK(r.signal == SIGKILL);
  CHECK(r.out == "waiting\n");  // what it wrote before the limit is kept
  const int grandchild = pid_in(pid_file);
  REQUIRE(grandchild > 0);
  std::this_thread::sleep_for(100ms);
  CHECK(ended(grandchild));
}

TEST_CASE("a program that closes its output still ends at the limit") {
  auto started = std::chrono::steady_clock::now();
  auto r = run_process({"/bin/sh", "-c", "exec >/dev/null 2>&1; sleep 30"}, 300ms);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(r.timed_out);
}

TEST_CASE("a daemon that keeps the program's pipes open does not hold it") {
  auto started = std::chrono::steady_clock::now();
  auto r = run_process({"/bin/sh", "-c", "setsid sleep 5 & echo started"}, 10s);
  CHECK(r.exit_code == 0);
  CHECK_FALSE(r.timed_out);
  CHECK(r.out == "started\n");
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("output beyond the cap is read and dropped, so the program still ends") {
  auto r = run_process({"/bin/sh", "-c", "head -c 100000 /dev/zero; echo done >&2"}, 10s, {}, 1000);
  CHECK(r.exit_code == 0);
  CHECK(r.out.size() == 1000);
  CHECK(r.err == "done\n");
  CHECK(r.truncated);

  auto big = run_process({"/bin/sh", "-c", "head -c 3000000 /dev/zero"}, 20s);
  CHECK(big.exit_code == 0);
  CHECK(big.out.size() == em::default_output_cap);
  CHECK(big.truncated);
}

TEST_CASE("the caller's blocked signals and descriptors are not passed on") {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  auto r = run_process({"/bin/sh", "-c", "kill -TERM $$; sleep 5"}, 10s);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  CHECK(r.signal == SIGTERM);

  // As a library might open its files: without O_CLOEXEC.
  int fd = ::open("/dev/null", O_RDONLY);
  REQUIRE(fd > 2);
  const std::string probe = "/proc/self/fd/" + std::to_string(fd);
  auto leaked = run_process({"/bin/sh", "-c", "test -e " + probe + " && echo leaked; true"}, 5s);
  ::close(fd);
  CHECK(leaked.out.empty());
}
