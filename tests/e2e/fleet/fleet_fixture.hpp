#pragma once

// End-to-end fleet tests (SPEC 11): several real emsd of one organisation,
// each with its own configuration, state folder and marker folder, on a real
// etcd; the real emctl from any of them.

#include <chrono>
#include <functional>
#include <string>

#include "core/config/service_config.hpp"
#include "tests/e2e/policy/policy_fixture.hpp"

namespace em::test {

class fleet_fixture : public policy_fixture {
 public:
  // `etcd` names the members and certificates; the organisation gets a
  // prefix of its own.
  explicit fleet_fixture(etcd_section etcd);

  // <name>.conf (or `file`): the organisation's etcd store, a local folder
  // of its own, markers in host/<name>; `identity` goes into [store.etcd]
  // (user and password_file).
  std::filesystem::path fleet_server(const std::string& name,
                                     const std::string& schedule = "initial_delay = \"1s\"\n",
                                     const std::string& identity = {},
                                     const std::string& file = {});

  bool marker_on(const std::string& server, const std::string& file) const;
  std::string status_of(const std::filesystem::path& config, const std::string& server,
                        const std::string& action);

  etcd_section etcd;
};

// Polls `ready` until it is true or `limit` passed; the time it took, or
// nullopt.
std::optional<std::chrono::milliseconds> eventually(const std::function<bool()>& ready,
                                                    std::chrono::milliseconds limit);

}  // namespace em::test
