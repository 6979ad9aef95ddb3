// Hostile feed servers against the real emsd: each must end the cycle with
// its named reason within its configured limit, and the service keeps running.
#include <catch2/catch.hpp>

#include <signal.h>

#include <iostream>
#include <thread>

#include "tests/e2e/transport/transport_fixture.hpp"
#include "tests/support/net/scripted_server.hpp"
#include "tests/support/test_paths.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;

namespace {

// Short limits so the whole file runs in seconds; the cases scale with them.
const std::string limits =
    "connect_timeout = \"2s\"\nhandshake_timeout = \"2s\"\ntimeout = \"4s\"\n"
    "max_size = 65536\nmax_header_size = 16384\n";

server_script hostile(server_mode mode) {
  server_script s;
  s.mode = mode;
  s.cert = tls_pki().server_cert;
  s.key = tls_pki().server_key;
  s.response = http_response_text(200, std::string(200, 'x'));
  s.trickle_interval = 1s;
  return s;
}

struct hostile_case {
  const char* name;
  server_mode mode;
  std::string kind;    // in the log: "(Timeout)"
  std::string reason;  // in the reason
  std::chrono::milliseconds limit;
};

}  // namespace

TEST_CASE_METHOD(transport_fixture, "hostile servers end the cycle within their limits, by name") {
  for (const auto& c : {
           hostile_case{"never answers", server_mode::silent, "(Timeout)",
                        "within 2s (TLS handshake timeout)", 2s},
           hostile_case{"answers TLS, never HTTP", server_mode::mute, "(Timeout)",
                        "the response was not complete within 4s (total timeout)", 4s},
           hostile_case{"trickles 1 byte/s", server_mode::trickle, "(Timeout)",
                        "the response was not complete within 4s (total timeout)", 4s},
           hostile_case{"endless body", server_mode::endless_body, "(TooLarge)",
                        "the body is over the limit of 65536 bytes", 4s},
           hostile_case{"10 MB of headers", server_mode::huge_headers, "(HeaderTooLarge)",
                        "the header is over the limit of 16384 bytes", 4s},
       }) {
    INFO(c.name);
    scripted_server server(hostile(c.mode));
    configure(server.url("/getexchangemitigations"), tls_pki().ca, limits);
    auto start = std::chrono::steady_clock::now();
    auto r = emsd_once();
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::cout << "emsd --once vs hostile server (" << c.name << "): exit " << r.exit_code
              << " after " << took.count() << " ms (limit " << c.limit.count() << " ms): " << r.err;
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(c.reason));
    CHECK_THAT(log_text(), Catch::Contains(c.kind));
    CHECK_THAT(log_text(), Catch::Contains(",FetchMitigation,S:LogLevel=Error;S:EventId=1008;"));
    // emsd's own start and stop take a moment on top of the limit.
    CHECK(took < c.limit + 2s);
  }
}

TEST_CASE_METHOD(transport_fixture, "the service keeps running through hostile cycles") {
  scripted_server server(hostile(server_mode::trickle));
  configure(server.url("/getexchangemitigations"), tls_pki().ca,
            "connect_timeout = \"1s\"\nhandshake_timeout = \"1s\"\ntimeout = \"2s\"\n",
            "[schedule]\ninitial_delay = \"0s\"\ninterval = \"3s\"\n");
  child_process emsd({emsd_path().string(), "--config", (dir / "emsd.conf").string()});
  // Two failed cycles in a row, then the service is still there and stops cleanly.
  auto failures = [&] {
    auto log = log_text();
    std::size_t n = 0;
    const std::string event = "S:EventId=1008;S:Message=Unable to fetch mitigations";
    for (auto p = log.find(event); p != std::string::npos; p = log.find(event, p + 1))
      ++n;
    return n;
  };
  for (int i = 0; i < 200 && failures() < 2; ++i)
    std::this_thread::sleep_for(50ms);
  CHECK(failures() >= 2);
  CHECK_THAT(log_text(), Catch::Contains("[2 failures in a row]"));
  CHECK(emsd.running());
  emsd.signal(SIGTERM);
  auto code = emsd.wait(10s);
  REQUIRE(code);
  CHECK(*code == 0);
  CHECK_THAT(log_text(), Catch::Contains(",Stop,S:LogLevel=Information;"));
}
