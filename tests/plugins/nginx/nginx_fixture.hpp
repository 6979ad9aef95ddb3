#pragma once

#include <functional>
#include <memory>
#include <string>

#include <emservice/plugin.hpp>

#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/m1_rule.hpp"
#include "tests/support/net/scripted_server.hpp"
#include "tests/support/nginx/nginx_process.hpp"
#include "tests/support/nginx/raw_http.hpp"

namespace em::test {

// The request the real M1 rule (tests/support/m1_rule.hpp) exists to stop.
extern const char* const proxynotshell;

// A backend that counts what reaches it, a real nginx in front of it, and
// the nginx plugin loaded by the real loader with settings for that nginx
// (target "Default Web Site" → nginx's sites/ folder).
struct nginx_fixture {
  nginx_fixture();

  // Key → its value as TOML text, as emsd.conf would hold it.
  std::map<std::string, std::string> settings() const;
  // A harness with the fixture's settings and `extra` ones on top.
  std::unique_ptr<plugin_harness> harness(
      const std::map<std::string, std::string>& extra = {}) const;

  emservice::action m1(const std::string& id = "M1.1") const;

  // Requests the backend received since the fixture started.
  std::size_t backend_count() const { return backend.requests().size() - baseline_; }
  // Runs an apply or rollback; when it says nginx reloaded, waits until only
  // new workers serve, so what the test sends next meets the new configuration.
  emservice::outcome reloading(const std::function<emservice::outcome()>& step) const;
  // nginx closed the connection without an answer (AbortRequest's 444).
  bool blocked(const std::string& target) const;

  scripted_server backend;
  nginx_process nginx;

 private:
  std::size_t baseline_ = 0;
};

}  // namespace em::test
