// emctl test-connectivity: can this server reach the feed, the way emsd does
// (same URL, CA, limits and the server's InternetWebProxy)? SPEC 7.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "core/fetch/feed_client.hpp"
#include "core/util/error.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace emctl {
namespace {

constexpr const char* docs_link = "https://aka.ms/HelpConnectivityEEMS";

// Only the third line is ours; the first two are SPEC 7's, word for word.
void print_failure(const std::string& reason) {
  std::cout << "Result: Failed.\n"
            << "Message: Unable to connect to the Mitigation Service endpoint from this computer. "
               "To learn about connectivity requirements, see "
            << docs_link << ".\n"
            << "Reason: " << reason << "\n";
}

void run_test_connectivity(context& ctx) {
  const auto& config = ctx.config();
  std::string proxy;
  if (auto server = ctx.store().find_server(config.server.name)) proxy = server->internet_web_proxy;
  try {
    em::fetch_feed(config.feed.url, {}, em::feed_http_options(config.feed, proxy));
  } catch (const em::error& e) {
    print_failure(e.what());
    ctx.exit_code = 1;
    return;
  }
  std::cout << "Result: Success.\n"
            << "Message: The Mitigation Service endpoint is accessible from this computer.\n";
  ctx.exit_code = 0;
}

}  // namespace

void add_connectivity_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand(
      "test-connectivity",
      "Check that the feed endpoint (feed.url) answers from this computer, through this "
      "server's InternetWebProxy and with feed.ca_file, as emsd would fetch it");
  cmd->callback([&ctx] { run_test_connectivity(ctx); });
}

}  // namespace emctl
