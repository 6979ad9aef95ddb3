#pragma once

// A real `emfeed serve` on 127.0.0.1 with a free port, the test TLS
// certificate, a document and a diagnostics folder in a temporary folder.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/fetch/http_client.hpp"
#include "tests/support/net/feed_server_process.hpp"
#include "tests/support/net/tls_test_pki.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

struct feed_server_fixture {
  temp_dir dir{"emfeedsrv"};
  std::unique_ptr<child_process> server;
  std::uint16_t port = 0;

  feed_server_fixture() { write_text(dir / "doc.xml", "<EOCS>first</EOCS>"); }

  void start(bool diagnostics = true, bool plain = false,
             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--document", (dir / "doc.xml").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    if (diagnostics) args.insert(args.end(), {"--diagnostics-dir", (dir / "diag").string()});
    if (plain)
      args.emplace_back("--insecure-http");
    else
      args.insert(args.end(), {"--cert", tls_pki().server_cert.string(), "--key",
                               tls_pki().server_key.string()});
    auto started = start_feed_server(args, !plain);
    server = std::move(started.process);
    INFO(server->out() << server->err());
    REQUIRE(started.port != 0);
    port = started.port;
  }

  std::string url(const std::string& path, bool tls = true) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port) + path;
  }

  static http_options options() {
    http_options o;
    o.ca_file = tls_pki().ca;
    o.limits.total_timeout = std::chrono::seconds(10);
    return o;
  }

  http_response get(const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return http_exchange({"GET", url("/getexchangemitigations"), headers, {}}, options());
  }
};

}  // namespace em::test
