// emfeed serve: the publisher's HTTPS endpoint (SPEC 7).
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include "core/util/error.hpp"
#include "tools/emfeed/commands.hpp"
#include "tools/emfeed/feed_server.hpp"

namespace emfeed {
namespace {

struct serve_options {
  std::string listen, cert, key, document, diagnostics_dir;
  bool insecure_http = false;
  unsigned max_wait = 300;
  std::size_t max_connections = 10000;
  std::size_t max_handshakes = 256;
};

// Each connection is a file descriptor: take what the hard limit allows, and
// keep the connection limit under it with room for the listener, the
// document and the diagnostics files.
std::size_t usable_connections(std::size_t wanted) {
  constexpr rlim_t reserve = 32;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > wanted + reserve) return wanted;
  auto usable = limit.rlim_cur > reserve * 2 ? limit.rlim_cur - reserve : limit.rlim_cur / 2;
  std::cerr << "emfeed: warning: --max-connections " << wanted << " is over what the open files "
            << "limit (" << limit.rlim_cur << ") allows: " << usable << " it is\n";
  return usable;
}

// "127.0.0.1:8443", "[::1]:8443"; port 0 picks a free one.
void parse_listen(const std::string& text, feed_server_options& o) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw em::invalid_input("--listen '" + text + "': expected ADDRESS:PORT, e.g. 127.0.0.1:8443");
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535)
    throw em::invalid_input("--listen '" + text + "': bad port '" + port + "'");
  o.host = host;
  o.port = static_cast<std::uint16_t>(std::stoul(port));
}

void run_serve(const serve_options& s) {
  feed_server_options o;
  parse_listen(s.listen, o);
  o.insecure_http = s.insecure_http;
  if (!o.insecure_http && (s.cert.empty() || s.key.empty()))
    throw em::invalid_input("--cert and --key are required (or --insecure-http for plain HTTP)");
  o.cert = s.cert;
  o.key = s.key;
  o.document = s.document;
  if (!s.diagnostics_dir.empty()) o.diagnostics_dir = s.diagnostics_dir;
  o.max_wait = std::chrono::seconds(s.max_wait);
  if (s.max_connections == 0) throw em::invalid_input("--max-connections must be at least 1");
  o.max_connections = usable_connections(s.max_connections);
  if (s.max_handshakes == 0) throw em::invalid_input("--max-handshakes must be at least 1");
  o.max_handshakes = s.max_handshakes;

  // Flushed after each burst of requests (operators tail it, tests read it),
  // in one write rather than one per line.
  feed_server server(
      o, [](const std::string& line) { std::cout << line << '\n'; }, [] { std::cout.flush(); });
  if (o.insecure_http)
    std::cerr << "emfeed: warning: serving plain HTTP (--insecure-http); clients refuse it for "
                 "the feed\n";
  const std::string scheme = o.insecure_http ? "http" : "https";
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::cout << "Listening on " << scheme << "://" << host << ":" << server.port() << " (document "
            << o.document.string() << " at /getexchangemitigations"
            << (o.diagnostics_dir ? ", diagnostics into " + o.diagnostics_dir->string() : "") << ")"
            << std::endl;
  server.run();
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto s = std::make_shared<serve_options>();
  CLI::App* cmd = app.add_subcommand("serve",
                                     "Serve a signed mitigation document over HTTPS (and collect "
                                     "diagnostics) until SIGTERM or SIGINT");
  cmd->add_option("--listen", s->listen, "ADDRESS:PORT to listen on (port 0: any free port)")
      ->required();
  cmd->add_option("--cert", s->cert, "TLS certificate (PEM, chain after it)");
  cmd->add_option("--key", s->key, "TLS private key (PEM)");
  cmd->add_option("--document", s->document, "The signed document, re-read when it changes")
      ->required();
  cmd->add_option("--diagnostics-dir", s->diagnostics_dir,
                  "Store POST /diagnostics reports here, one file each");
  cmd->add_flag("--insecure-http", s->insecure_http, "Plain HTTP instead of HTTPS (lab use only)");
  cmd->add_option("--max-wait", s->max_wait,
                  "Hold a long-poll request (If-None-Match with Prefer: wait=N) at most this "
                  "many seconds")
      ->capture_default_str()
      ->check(CLI::Range(0u, 86400u));
  cmd->add_option("--max-connections", s->max_connections,
                  "Connections open at once; more wait in the kernel's backlog")
      ->capture_default_str();
  cmd->add_option("--max-handshakes", s->max_handshakes,
                  "TLS handshakes under way at once; more clients wait their turn")
      ->capture_default_str();
  cmd->callback([s, &exit_code] {
    run_serve(*s);
    exit_code = 0;
  });
}

}  // namespace emfeed
