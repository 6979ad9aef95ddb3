#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace em {

struct process_result {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  int signal = 0;      // the signal that ended it (SIGKILL after the limit), or 0
  bool timed_out = false;
  bool truncated = false;  // output beyond the cap was read and dropped
  std::string out;
  std::string err;
};

// Enough for any diagnostic a tool prints; a runaway program cannot fill the
// caller's memory.
constexpr std::size_t default_output_cap = 1024 * 1024;

struct spawn_options {
  std::vector<std::string> argv;  // argv[0]: the program's path (or a name looked up in PATH)
  std::map<std::string, std::string> extra_env;
  // The caller's descriptors that become the child's 1, 2, 3 … in this order;
  // its stdin is /dev/null (or `stdin_fd`) and every other descriptor is closed.
  std::vector<int> fds;
  int stdin_fd = -1;
};

// Starts a program the way run_process does (no shell, default signal
// handling, empty signal mask, its own process group, nothing inherited but
// the descriptors asked for) and returns its PID without waiting; posix_spawn,
// not fork, because emsd has many threads. Throws em::error naming the program.
pid_t spawn_process(const spawn_options& options);

// Runs a program without a shell (argv[0] is its path; a bare name is looked
// up in PATH), stdin from /dev/null (or `input`, read from a sealed memory
// file so a program that never reads it cannot block anyone), with the caller's environment plus
// `extra_env`, default signal handling, an empty signal mask (emsd blocks its
// signals for sigwait; children must not inherit that) and no descriptor of
// the caller's but its three standard ones. The program gets its own process
// group, which is killed with SIGKILL after `limit`: helpers it started go
// with it. Each of stdout and stderr keeps its first `output_cap` bytes.
// When the program itself has exited, a helper it left behind holding its
// output open (a daemon it started) gets a short grace, not the whole limit.
// Throws em::error naming the program when it cannot be started.
process_result run_process(const std::vector<std::string>& argv, std::chrono::milliseconds limit,
                           const std::map<std::string, std::string>& extra_env = {},
                           std::size_t output_cap = default_output_cap,
                           const std::string& input = {});

}  // namespace em
