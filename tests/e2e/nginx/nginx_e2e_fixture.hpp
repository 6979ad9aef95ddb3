#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tests/support/net/scripted_server.hpp"
#include "tests/support/nginx/nginx_process.hpp"
#include "tests/support/nginx/raw_http.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

// An Exchange front end as the tests see it: a backend that counts what it
// receives, a real nginx in front of it whose server block includes the
// plugin's folder, and an emsd configuration (server EX01, Exchange2019
// 15.2.1118.7, the test PKI as trust anchor, a file:// feed) that enables
// ping and nginx with [plugins.nginx] for that nginx.
struct nginx_e2e_fixture {
  nginx_e2e_fixture();

  // Signs `document` at `sequence` as the feed.
  void publish(const std::string& document, const std::string& sequence);
  // The configuration; `enable` is the [plugins] enable list ("" leaves it out).
  void write_config(const std::string& enable = "[\"ping\", \"nginx\"]");

  command_result emsd_once();
  command_result emctl(std::vector<std::string> args);
  // Runs emsd --once or emctl rollback; when the plugin's folder changed
  // (so nginx was reloaded), waits until only nginx's new workers serve.
  command_result reloading(const std::function<command_result()>& step);

  std::size_t backend_count() const { return backend.requests().size(); }
  // Sends the raw request; true when it reached the backend.
  bool reaches_backend(const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       const std::string& method = "GET", raw_answer* answer = nullptr);

  temp_dir dir{"emnginxe2e"};
  scripted_server backend;
  nginx_process nginx;
};

}  // namespace em::test
