#include "core/plugin/worker/plugin_worker.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "core/plugin/worker/frame_io.hpp"
#include "core/util/duration.hpp"
#include "core/util/error.hpp"
#include "core/util/process.hpp"

namespace em {

// The applier emsd sees for one action type: each call goes to the worker.
class plugin_worker::forwarding_applier final : public emservice::applier {
 public:
  explicit forwarding_applier(plugin_worker& worker) : worker_(worker) {}

  emservice::outcome validate(const emservice::action& a) override {
    return outcome("validate", a);
  }
  emservice::outcome apply(const emservice::action& a) override { return outcome("apply", a); }
  emservice::outcome rollback(const emservice::action& a) override {
    return outcome("rollback", a);
  }
  emservice::check_result check(const emservice::action& a) override {
    auto r = worker_.call("check", a);
    if (!r.ok) return {emservice::check_state::error, r.message};
    return {r.state, r.message};
  }

 private:
  emservice::outcome outcome(const char* call, const emservice::action& a) {
    auto r = worker_.call(call, a);
    return {r.ok, r.message};
  }
  plugin_worker& worker_;
};

namespace {

std::string signal_text(int sig) {
  const char* name = ::sigabbrev_np(sig);
  return std::string("signal ") + std::to_string(sig) +
         (name ? std::string(" (SIG") + name + ")" : "");
}

}  // namespace

plugin_worker::plugin_worker(plugin_worker_settings settings, plugin_host::log_function log)
    : settings_(std::move(settings)), log_(std::move(log)) {}

plugin_worker::~plugin_worker() {
  stop(false);
}

void plugin_worker::spawn() {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw error(std::string("cannot create the plugin worker's channel: ") + std::strerror(errno));
  try {
    // The worker writes what a plugin prints where emsd does; fd 3 is its channel.
    pid_ = spawn_process(
        {{settings_.executable.string(), "--config", settings_.config_file.string(), "--fd", "3"},
         {},
         {STDOUT_FILENO, STDERR_FILENO, pair[1]}});
  } catch (...) {
    ::close(pair[0]);
    ::close(pair[1]);
    pid_ = -1;
    throw;
  }
  ::close(pair[1]);
  fd_ = pair[0];
}

void plugin_worker::start() {
  stop(true);
  spawn();
  auto f = worker::read_frame(fd_, settings_.start_timeout);
  if (f.what == worker::frame::status::ok) {
    auto hello = worker::decode_hello(f.payload);
    if (loaded_.plugins.empty() && loaded_.problems.empty()) loaded_ = hello;
    return;
  }
  std::string why =
      f.what == worker::frame::status::timeout
          ? "did not load its plugins within " + format_duration(settings_.start_timeout)
          : reap("while loading its plugins");
  stop(true);
  throw error("the plugin worker " + why);
}

void plugin_worker::stop(bool kill_now) {
  if (fd_ >= 0) {
    ::close(fd_);  // the worker sees end of file and exits
    fd_ = -1;
  }
  if (pid_ <= 0) return;
  if (kill_now) ::kill(-pid_, SIGKILL);  // its group: what a plugin started goes too
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(-pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

// The worker closed its channel: how did it end?
std::string plugin_worker::reap(const std::string& during) {
  int status = 0;
  pid_t done = pid_ > 0 ? ::waitpid(pid_, &status, 0) : -1;
  pid_ = -1;
  if (done <= 0) return "stopped " + during;
  if (WIFSIGNALED(status)) return "crashed with " + signal_text(WTERMSIG(status)) + " " + during;
  return "exited with code " + std::to_string(WEXITSTATUS(status)) + " " + during;
}

emservice::applier* plugin_worker::find(const std::string& action_type) {
  for (const auto& p : loaded_.plugins)
    for (const auto& t : p.action_types)
      if (t == action_type) {
        auto& a = appliers_[action_type];
        if (!a) a = std::make_unique<forwarding_applier>(*this);
        return a.get();
      }
  return nullptr;
}

worker::response plugin_worker::call(const std::string& call, const emservice::action& action) {
  worker::response failed;
  const std::string what = call + " of " + action.id;
  try {
    if (fd_ < 0) start();  // after a crash or a timeout: a fresh worker
    worker::request r{next_id_++, call, action};
    worker::write_frame(fd_, worker::encode(r));
    auto f = worker::read_frame(fd_, settings_.call_timeout);
    if (f.what == worker::frame::status::ok) {
      auto answer = worker::decode_response(f.payload);
      if (answer.id != r.id) throw error("the plugin worker answered another request");
      if (log_)
        for (const auto& l : answer.logs)
          log_(l.plugin, l.level, l.text);
      return answer;
    }
    if (f.what == worker::frame::status::timeout) {
      stop(true);
      failed.message = "the plugin did not finish " + what + " within " +
                       format_duration(settings_.call_timeout) + "; its worker was stopped";
    } else {
      failed.message = "the plugin worker " + reap("during " + what);
      stop(true);
    }
  } catch (const std::exception& e) {
    stop(true);
    failed.message = e.what();
  }
  return failed;
}

}  // namespace em
