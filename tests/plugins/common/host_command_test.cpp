// The plugins' view of a command the host ran: what it did, in one line an
// administrator can act on. (How it runs is the host's: see
// tests/core/util/process_test.cpp.)
#include <signal.h>

#include <chrono>

#include <catch2/catch.hpp>

#include "core/plugin/plugin_host.hpp"
#include "plugins/common/host_command.hpp"

using emplugin::describe_failure;
using emplugin::run_command;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<emservice::host_api> make_host() {
  return em::plugin_host(nullptr, "EX01", nullptr).make_api("apppool");
}

}  // namespace

TEST_CASE("a command's output and exit code are collected, and no shell reads its arguments") {
  auto host = make_host();
  auto r = run_command(*host, {"/bin/sh", "-c", "echo out; echo err >&2; exit 7"}, 5s);
  CHECK(r.started);
  CHECK(r.exit_code == 7);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK_FALSE(r.ok());
  CHECK(describe_failure({"/bin/sh", "-c", "x"}, r) ==
        "'/bin/sh -c x' failed with exit code 7: err");

  auto literal = run_command(*host, {"/bin/echo", "a; rm -rf /", "$HOME", "{name}"}, 5s);
  CHECK(literal.ok());
  CHECK(literal.out == "a; rm -rf / $HOME {name}\n");
  CHECK(emplugin::command_text({"/bin/echo", "a b", "c"}) == "/bin/echo \"a b\" c");
}

TEST_CASE("a command that cannot start, is killed, or runs too long says so") {
  auto host = make_host();
  auto missing = run_command(*host, {"/nonexistent/program"}, 5s);
  CHECK_FALSE(missing.started);
  CHECK(missing.error == "cannot run /nonexistent/program: No such file or directory");
  CHECK(describe_failure({"/nonexistent/program"}, missing) ==
        "'/nonexistent/program' could not run: cannot run /nonexistent/program: No such file or "
        "directory");

  auto relative = run_command(*host, {"echo", "x"}, 5s);
  CHECK_FALSE(relative.started);
  CHECK_THAT(relative.error, Catch::Contains("absolute program path"));

  auto killed = run_command(*host, {"/bin/sh", "-c", "kill -TERM $$"}, 5s);
  CHECK(killed.signal == SIGTERM);
  CHECK_FALSE(killed.ok());
  CHECK_THAT(describe_failure({"/bin/sh"}, killed), Catch::Contains("killed by signal 15"));

  auto slow = run_command(*host, {"/bin/sleep", "30"}, 300ms);
  CHECK(slow.timed_out);
  CHECK_FALSE(slow.ok());
  CHECK(describe_failure({"/bin/sleep", "30"}, slow) ==
        "'/bin/sleep 30' did not finish in time and was killed");
}
