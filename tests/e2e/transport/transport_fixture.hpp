#pragma once

// emsd against a real feed: a signed PING1 document, `emfeed serve` or a
// scripted server, a configuration pointing at it, and the state and log to
// look at afterwards.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "core/store/store.hpp"
#include "tests/support/net/child_process.hpp"
#include "tests/support/net/tls_test_pki.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

namespace em::test {

struct transport_fixture {
  temp_dir dir{"emtransport"};
  std::unique_ptr<child_process> feed;
  std::uint16_t feed_port = 0;
  std::string trust_extra;  // more [trust] keys for configure()

  transport_fixture();

  // `emfeed serve` of the signed document, diagnostics into dir/diag.
  void start_feed(const std::filesystem::path& cert = tls_pki().server_cert,
                  const std::filesystem::path& key = tls_pki().server_key);
  std::string feed_url(const std::string& host = "127.0.0.1") const;

  // Writes emsd.conf; `feed_extra` goes into [feed], `extra` at the end.
  void configure(const std::string& url, const std::filesystem::path& ca = tls_pki().ca,
                 const std::string& feed_extra = "", const std::string& extra = "");

  command_result emsd_once();
  command_result emctl(std::vector<std::string> args);
  // Registers EX01 when needed and applies an administrator's change.
  void change_server(const server_changes& changes);
  std::string log_text() const;
  std::vector<std::filesystem::path> reports() const;
};

}  // namespace em::test
