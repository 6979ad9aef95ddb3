// emctl test-request URL: what the UrlRewrite rules of the last accepted
// document (or of a verified file) do to one request (SPEC 13), with the
// evaluator the nginx plugin's translation follows (core/rules).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rules/http_request.hpp"
#include "core/rules/rule_set.hpp"
#include "core/util/error.hpp"
#include "tools/emctl/accepted_document.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace emctl {
namespace {

struct test_request_options {
  std::string url;
  std::string method = "GET";
  std::vector<std::string> headers;
  std::string document;
  std::string target;
  std::string expect;
};

std::vector<em::rules::header_field> parse_headers(const std::vector<std::string>& lines) {
  std::vector<em::rules::header_field> out;
  for (const auto& line : lines) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
      throw em::invalid_input("--header '" + line + "' is not 'Name: value'");
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    out.push_back({line.substr(0, colon), value});
  }
  return out;
}

em::mitigation_document document_of(context& ctx, const test_request_options& o) {
  const auto& config = ctx.config();
  if (!o.document.empty()) return verify_file(config, o.document).document;
  // Asking must not create a store that emsd has not made yet.
  std::error_code ec;
  std::optional<em::stored_document> stored;
  if (std::filesystem::exists(config.store.path, ec)) {
    auto& state = ctx.store();
    if (state.find_server(config.server.name)) stored = state.load_document(config.server.name);
  }
  if (!stored)
    throw em::error("no accepted mitigation document is stored for server " + config.server.name +
                    " (emsd has not accepted one yet); test a file with --document FILE");
  return verify_accepted(config, *stored, "no rule was evaluated").document;
}

std::string rule_name(const em::rules::rule_entry& e) {
  return e.action_id + " \"" + e.rule->name + "\"";
}

// One target's answer; false when it could not be decided.
bool print_verdict(const em::rules::target_verdict& v) {
  for (const auto* e : v.invalid)
    std::cout << v.target << ": " << e->action_id
              << " is not evaluated (the plugins refuse it): " << e->invalid << "\n";
  for (const auto* e : v.passed)
    std::cout << v.target << ": " << rule_name(*e)
              << " matches: None (processing goes on to the next rule)\n";
  if (!v.error.empty()) {
    std::cout << v.target << ": cannot decide: " << v.error << "\n";
    return false;
  }
  if (!v.decisive) {
    std::cout << v.target << ": No rule matches\n";
    return true;
  }
  const auto& rule = *v.decisive->rule;
  std::cout << v.target << ": " << rule_name(*v.decisive) << " matches: " << rule.action.describe()
            << (rule.action.type == em::rules::action_type::none ? " (stopProcessing)" : "")
            << "\n";
  return true;
}

void run_test_request(context& ctx, const test_request_options& o) {
  // The request is checked before any file or store is opened: bad usage first.
  const auto request = em::rules::http_request::from_url(o.url, o.method, parse_headers(o.headers));
  const em::rules::rule_set rules(document_of(ctx, o));
  std::vector<std::string> targets = rules.targets();
  if (!o.target.empty()) targets = {o.target};
  if (targets.empty()) std::cout << "The document has no UrlRewrite action: No rule matches\n";
  bool decided = true;
  bool blocked = false;
  for (const auto& t : targets) {
    const auto v = rules.evaluate(t, request);
    decided = print_verdict(v) && decided;
    blocked = blocked || v.blocked();
  }
  if (!decided) {
    std::cout << "Verdict: unknown\n";
    ctx.exit_code = 1;
    return;
  }
  const std::string verdict = blocked ? "blocked" : "allowed";
  std::cout << "Verdict: " << verdict << "\n";
  ctx.exit_code = !o.expect.empty() && o.expect != verdict ? 1 : 0;
}

}  // namespace

void add_test_request_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<test_request_options>();
  CLI::App* cmd = app.add_subcommand(
      "test-request",
      "Show what the UrlRewrite rules of the last accepted document do to a request");
  cmd->add_option("URL", o->url, "The request, e.g. https://mail.contoso.com/owa/")->required();
  cmd->add_option("--method", o->method, "Request method")->capture_default_str();
  cmd->add_option("--header", o->headers, "A request header 'Name: value', repeatable");
  cmd->add_option("--document", o->document,
                  "A signed document to test instead, verified with the configured trust");
  cmd->add_option("--target", o->target,
                  "Only the rules of this target (e.g. \"Default Web Site\"); default: every "
                  "target of the document");
  cmd->add_option("--expect", o->expect,
                  "Exit 1 unless the verdict is this one (blocked: AbortRequest, a 4xx/5xx "
                  "CustomResponse or a Redirect)")
      ->check(CLI::IsMember({"allowed", "blocked"}));
  cmd->callback([&ctx, o] { run_test_request(ctx, *o); });
}

}  // namespace emctl
