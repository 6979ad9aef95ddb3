#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/net/child_process.hpp"
#include "tests/support/net/scripted_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// Debian's nginx and its njs module, or why a test cannot run here.
std::optional<std::string> nginx_missing();

// Ends the test case, saying why, where nginx cannot run (CTest lists it Skipped).
#define EM_SKIP_WITHOUT_NGINX()                    \
  if (auto em_why = ::em::test::nginx_missing()) { \
    WARN("skipped: " << *em_why);                  \
    return;                                        \
  }

// Every file of `folder` by name, with its bytes.
std::map<std::string, std::string> folder_files(const std::filesystem::path& folder);

const std::filesystem::path& nginx_binary();  // /usr/sbin/nginx

// The backend behind the proxy: plain HTTP, answers every request
// "200 backend saw <target>", and keeps what it received (requests()).
server_script counting_backend();

// A real nginx in the foreground (master and one worker) in a temporary
// prefix: one server on 127.0.0.1:<free port> that includes `sites/*.conf`
// and proxies everything else to 127.0.0.1:<backend port>, passing the
// request URI on as the client sent it. Stopped (SIGTERM, workers and all)
// on destruction.
class nginx_process {
 public:
  explicit nginx_process(std::uint16_t backend_port);
  ~nginx_process();
  nginx_process(const nginx_process&) = delete;
  nginx_process& operator=(const nginx_process&) = delete;

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& prefix() const { return dir_.path(); }
  std::filesystem::path conf() const { return dir_ / "nginx.conf"; }
  std::filesystem::path sites() const { return dir_ / "sites"; }
  std::filesystem::path error_log() const { return dir_ / "error.log"; }
  // `nginx -p <prefix> -c <conf> -s reload`, as the plugin's reload_command.
  std::vector<std::string> reload_command() const;
  bool running();

  // The master's pid (a reload keeps it; a restart would not) and its
  // workers' (a reload replaces them).
  int master_pid() const;
  std::vector<int> workers() const;
  // After a reload: true once every worker of `before` has exited and new
  // ones run, so every new connection meets the new configuration (just
  // after a reload the old workers still accept for a moment). False after `limit`.
  bool reloaded_since(const std::vector<int>& before,
                      std::chrono::milliseconds limit = std::chrono::seconds(15)) const;
  // After a step that may have reloaded several times: the master folds
  // reload signals that arrive while it reconfigures into one, so the workers
  // reloaded_since saw may come from an earlier reload than the last. Two
  // reloads of our own, one after the other, end with workers that read the
  // files as they are now. False when a reload fails or does not end in time.
  bool serves_current_files(std::chrono::milliseconds limit = std::chrono::seconds(15)) const;

 private:
  void start();

  temp_dir dir_{"emnginx"};
  std::uint16_t backend_port_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> master_;
};

}  // namespace em::test
