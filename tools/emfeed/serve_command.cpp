// emfeed serve: the publisher's HTTPS endpoint (SPEC 7).
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>

#include "core/util/error.hpp"
#include "tools/emfeed/commands.hpp"
#include "tools/emfeed/feed_server.hpp"

namespace emfeed {
namespace {

struct serve_options {
  std::string listen, cert, key, document, diagnostics_dir;
  bool insecure_http = false;
};

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

  std::mutex out;
  feed_server server(o, [&out](const std::string& line) {
    std::lock_guard<std::mutex> lock(out);
    std::cout << line << std::endl;  // flushed: operators tail it, tests read it
  });
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
  cmd->callback([s, &exit_code] {
    run_serve(*s);
    exit_code = 0;
  });
}

}  // namespace emfeed
