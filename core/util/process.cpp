#include "core/util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"

extern char** environ;

namespace em {
namespace {

using steady = std::chrono::steady_clock;

// Once the program has exited, what it left holding its pipes (a daemon it
// started in a session of its own) may keep them open for ever.
constexpr std::chrono::milliseconds exit_grace{300};
constexpr std::chrono::milliseconds poll_step{50};
constexpr std::chrono::milliseconds wait_step{5};

std::vector<std::string> environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    auto key = entry.substr(0, entry.find('='));
    if (!extra.count(key)) env.push_back(std::move(entry));
  }
  for (const auto& [k, v] : extra)
    env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what is ready on the open pipes into the sinks, keeping `cap` bytes of
// each (the rest is read and dropped, so the program never blocks on a full
// pipe); closes a pipe at its end.
void drain(pollfd (&fds)[2], std::string* (&sinks)[2], std::size_t cap, bool& truncated) {
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buf[4096];
    ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
    if (n > 0) {
      auto keep = std::min(static_cast<std::size_t>(n), cap - std::min(cap, sinks[i]->size()));
      sinks[i]->append(buf, keep);
      truncated = truncated || keep < static_cast<std::size_t>(n);
    } else if (n == 0 || errno != EINTR) {
      close_fd(fds[i].fd);
    }
  }
}

// What a program reads on stdin: a memory file holding `input`, rewound and
// sealed; none (so /dev/null) when there is no input.
class input_file {
 public:
  input_file(const std::string& program, const std::string& input) {
    if (input.empty()) return;
    fd_ = ::memfd_create("emservice-input", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd_ < 0) throw error("cannot run " + program + ": memfd_create: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < input.size()) {
      ssize_t n = ::write(fd_, input.data() + done, input.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail(program, "write");
      done += static_cast<std::size_t>(n);
    }
    if (::lseek(fd_, 0, SEEK_SET) != 0) fail(program, "lseek");
    ::fcntl(fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  }
  ~input_file() {
    if (fd_ >= 0) ::close(fd_);
  }
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  int fd() const { return fd_; }

 private:
  [[noreturn]] void fail(const std::string& program, const char* step) {
    int saved = errno;
    ::close(fd_);
    fd_ = -1;
    throw error("cannot run " + program + ": " + step + " of its input: " + std::strerror(saved));
  }
  int fd_ = -1;
};

}  // namespace

pid_t spawn_process(const spawn_options& options) {
  if (options.argv.empty()) throw error("spawn_process: no program given");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.stdin_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, options.stdin_fd, 0);
  else
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  for (std::size_t i = 0; i < options.fds.size(); ++i)
    posix_spawn_file_actions_adddup2(&actions, options.fds[i], static_cast<int>(i + 1));
  // The service's store and log must not leak into the program, even where a
  // library opened them without O_CLOEXEC.
  posix_spawn_file_actions_addclosefrom_np(&actions, static_cast<int>(options.fds.size() + 1));
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group, so a timeout kills its helpers too
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  auto args = options.argv;
  auto env = environment(options.extra_env);
  auto arg_ptrs = pointers(args);
  auto env_ptrs = pointers(env);
  pid_t pid = -1;
  // glibc reports exec failures (a missing program) as the return value.
  int rc = ::posix_spawnp(&pid, args[0].c_str(), &actions, &attr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw error("cannot run " + options.argv[0] + ": " + std::strerror(rc));
  return pid;
}

process_result run_process(const std::vector<std::string>& argv, std::chrono::milliseconds limit,
                           const std::map<std::string, std::string>& extra_env,
                           std::size_t output_cap, const std::string& input) {
  if (argv.empty() || argv[0].empty()) throw error("run_process: no program given");
  input_file stdin_file(argv[0], input);
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    int saved = errno;
    for (int* fd : {&out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1]})
      close_fd(*fd);
    throw error("cannot run " + argv[0] + ": pipe: " + std::strerror(saved));
  }
  pid_t pid = -1;
  try {
    pid = spawn_process({argv, extra_env, {out_pipe[1], err_pipe[1]}, stdin_file.fd()});
  } catch (...) {
    for (int* fd : {&out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1]})
      close_fd(*fd);
    throw;
  }
  close_fd(out_pipe[1]);
  close_fd(err_pipe[1]);

  process_result r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  const auto deadline = steady::now() + limit;
  int status = 0;
  bool reaped = false;
  steady::time_point reaped_at{};
  for (;;) {
    if (!reaped) {
      pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid || (done < 0 && errno == ECHILD)) {
        reaped = true;
        reaped_at = steady::now();
      }
    }
    const auto now = steady::now();
    const bool open = fds[0].fd >= 0 || fds[1].fd >= 0;
    if (reaped && (!open || now - reaped_at > exit_grace || now >= deadline)) break;
    if (!reaped && now >= deadline) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);  // in case it left its group
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      // What it wrote before it was killed says what it was doing; a writer
      // outside the group cannot hold us here for long.
      for (int i = 0; i < 256 && ::poll(fds, 2, 0) > 0; ++i)
        drain(fds, sinks, output_cap, r.truncated);
      break;
    }
    // Short steps: the program's exit is seen even while a helper holds the pipes.
    auto step = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    step = std::max(std::chrono::milliseconds(1), std::min(step, poll_step));
    if (!open) {  // its output is done; its exit follows at once, as a rule
      ::usleep(static_cast<useconds_t>(std::min(step, wait_step).count()) * 1000);
      continue;
    }
    if (::poll(fds, 2, static_cast<int>(step.count())) > 0)
      drain(fds, sinks, output_cap, r.truncated);
  }
  close_fd(fds[0].fd);
  close_fd(fds[1].fd);
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
    r.exit_code = 128 + r.signal;
  }
  return r;
}

}  // namespace em
