// emctl verify: checks a signed mitigation document offline, as emsd would
// (SPEC 2-3, 7), except for rollback, which needs a server's state.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/policy/sequence_check.hpp"
#include "core/trust/crl_cdp_source.hpp"
#include "core/trust/document_verifier.hpp"
#include "core/trust/trust_settings.hpp"
#include "core/util/error.hpp"
#include "core/util/file_util.hpp"
#include "core/util/time_util.hpp"
#include "tools/emctl/commands.hpp"
#include "tools/emctl/emctl_context.hpp"

namespace emctl {
namespace {

struct verify_options {
  std::string file;
  std::string at;
  std::vector<std::string> anchors;
  std::string issuer;
  std::string issuer_key;
  std::vector<std::string> eku;
  std::vector<std::string> crls;
  std::string revocation;
  std::uint64_t max_size = 0;
  bool crl_fetch = false;
  bool require_sequence = false;
  CLI::Option* issuer_option = nullptr;
  CLI::Option* issuer_key_option = nullptr;
  CLI::Option* require_sequence_option = nullptr;
  CLI::Option* eku_option = nullptr;
  CLI::Option* crl_option = nullptr;
  CLI::Option* crl_fetch_option = nullptr;
  CLI::Option* revocation_option = nullptr;
  CLI::Option* max_size_option = nullptr;
};

em::revocation_mode revocation_from(const std::string& text) {
  auto mode = em::parse_revocation_mode(text);
  if (!mode)
    throw em::invalid_input("--revocation '" + text + "' is not require, best-effort or off");
  return *mode;
}

// --anchor makes the flags the whole trust policy (no configuration file is
// read; revocation is then `require` unless --revocation says otherwise, as in
// the configuration); without it the configuration's [trust] applies, and
// --issuer, --issuer-key-sha256, --eku, --crl, --revocation and --max-size
// given alone replace the configured values.
em::trust_settings settings_from(context& ctx, const verify_options& o) {
  em::trust_settings s;
  if (o.anchors.empty()) {
    s = em::trust_settings::from_config(ctx.config());
  } else {
    for (const auto& a : o.anchors)
      s.anchors.emplace_back(a);
  }
  if (o.issuer_option->count() > 0) s.issuer = o.issuer;
  if (o.issuer_key_option->count() > 0) s.issuer_key_sha256 = o.issuer_key;
  if (o.eku_option->count() > 0) s.eku = o.eku;
  if (o.crl_option->count() > 0) s.crl_files.assign(o.crls.begin(), o.crls.end());
  if (o.revocation_option->count() > 0) s.revocation = revocation_from(o.revocation);
  if (o.max_size_option->count() > 0) s.max_size = o.max_size;
  return s;
}

// --crl-fetch / --no-crl-fetch, else trust.crl_fetch of the configuration (off
// with --anchor). With the configuration, downloads are cached where emsd keeps
// them and go through this server's InternetWebProxy once emsd registered it;
// with --anchor, nothing is cached and connections are direct.
std::vector<std::shared_ptr<const em::crl_source>> crl_sources_from(context& ctx,
                                                                    const verify_options& o) {
  const bool from_config = o.anchors.empty();
  bool fetch = from_config && ctx.config().trust.crl_fetch;
  if (o.crl_fetch_option->count() > 0) fetch = o.crl_fetch;
  if (!fetch) return {};
  if (!from_config) return {std::make_shared<em::crl_cdp_source>(em::crl_fetch_options{})};
  em::service_config config = ctx.config();
  config.trust.crl_fetch = true;
  return em::configured_crl_sources(config, [&ctx] {
    const auto& c = ctx.config();
    // Reading a setting must not create a store that emsd has not made yet.
    std::error_code ec;
    if (!std::filesystem::exists(c.store.path, ec)) return std::string();
    auto server = ctx.store().find_server(c.server.name);
    return server ? server->internet_web_proxy : std::string();
  });
}

// SPEC 7: verify skips the rollback check only. --require-sequence /
// --no-require-sequence, else trust.require_sequence of the configuration
// (not required with --anchor, whose flags are the whole policy).
bool sequence_required(context& ctx, const verify_options& o) {
  if (o.require_sequence_option->count() > 0) return o.require_sequence;
  return o.anchors.empty() && ctx.config().trust.require_sequence;
}

em::sys_time time_from(const verify_options& o) {
  if (o.at.empty()) return std::chrono::system_clock::now();
  auto t = em::parse_rfc3339(o.at);
  if (!t)
    throw em::invalid_input("--at '" + o.at +
                            "' is not an RFC 3339 time (e.g. 2021-12-07T00:00:00Z)");
  return *t;
}

void print_verified(const em::verification& v) {
  const auto& doc = v.document;
  std::cout << "Verified: sequence "
            << (doc.sequence ? std::to_string(*doc.sequence) : std::string("none"))
            << ", signed by " << v.signer_subject << " (issuer " << v.signer_issuer << ")\n";
  for (const auto& m : doc.mitigations) {
    std::cout << m.id << ": " << m.desc << "\n";
    for (const auto& a : m.actions) {
      std::cout << "  " << a.id << " " << a.type;
      if (!a.scope.empty()) std::cout << " " << a.scope;
      std::cout << ": " << a.desc << "\n";
    }
  }
  for (const auto& r : doc.rejected)
    std::cout << "  rejected Config " << (r.id.empty() ? std::string("(no id)") : r.id) << ": "
              << r.reason << "\n";
}

void run_verify(context& ctx, const verify_options& o) {
  const em::sys_time at = time_from(o);
  if (o.revocation_option->count() > 0) revocation_from(o.revocation);  // bad usage before any file
  const std::filesystem::path file = o.file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw em::invalid_input("cannot read " + file.string() + ": no such file");
  em::document_verifier verifier(settings_from(ctx, o), crl_sources_from(ctx, o));
  const std::uint64_t limit = verifier.settings().max_size;

  // Too large is a verdict on the document, not a usage error; say it without reading it all.
  auto size = std::filesystem::file_size(file, ec);
  if (!ec && size > limit) {
    std::cout << "Rejected: too large: " << size << " bytes, limit " << limit << "\n";
    ctx.exit_code = 1;
    return;
  }
  std::string bytes;
  try {
    bytes = em::read_file(file, static_cast<std::size_t>(limit));
  } catch (const em::error& e) {
    throw em::invalid_input(e.what());
  }
  em::verification v = verifier.verify(bytes, at);
  if (v.verified) {
    // No server state here: only the rule on a missing sequence applies.
    v.reason = em::check_sequence(v.document.sequence, v.digest, {}, sequence_required(ctx, o));
    v.verified = v.reason.empty();
  }
  if (!v.verified) {
    std::cout << "Rejected: " << v.reason << "\n";
    ctx.exit_code = 1;
    return;
  }
  print_verified(v);
  ctx.exit_code = 0;
}

}  // namespace

void add_verify_command(CLI::App& app, context& ctx) {
  auto o = std::make_shared<verify_options>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Verify a signed mitigation document offline (everything but rollback)");
  cmd->add_option("FILE", o->file, "The signed EOCS document")->required();
  cmd->add_option("--at", o->at,
                  "Check certificates and expiry as of this RFC 3339 time (default: now)");
  cmd->add_option("--anchor", o->anchors,
                  "Trust anchor certificate (PEM or DER), repeatable; when given, the "
                  "configuration file is not read");
  o->issuer_option =
      cmd->add_option("--issuer", o->issuer, "Required issuer DN of the signer, e.g. CN=…,O=…");
  o->issuer_key_option = cmd->add_option(
      "--issuer-key-sha256", o->issuer_key,
      "Required SHA-256 (hex) of the signer's issuer's public key (SubjectPublicKeyInfo)");
  o->eku_option = cmd->add_option(
      "--eku", o->eku, "OID the signer's extendedKeyUsage must contain (one of), repeatable");
  o->crl_option =
      cmd->add_option("--crl", o->crls, "CRL file (PEM or DER) for revocation checks, repeatable");
  o->crl_fetch_option = cmd->add_flag(
      "--crl-fetch,!--no-crl-fetch", o->crl_fetch,
      "Download each certificate's CRL from its distribution points (http:// or https://, at "
      "most 2 per certificate, each within the feed's limits), once its chain is verified. "
      "Default: trust.crl_fetch of the configuration, off with "
      "--anchor");
  o->require_sequence_option = cmd->add_flag(
      "--require-sequence,!--no-require-sequence", o->require_sequence,
      "Reject a document without EOCS@sequence. Default: trust.require_sequence of the "
      "configuration, off with --anchor");
  o->revocation_option = cmd->add_option(
      "--revocation", o->revocation,
      "require (every certificate of the chain but the anchor needs a usable CRL; the default), "
      "best-effort (check where a CRL is available) or off");
  o->max_size_option =
      cmd->add_option("--max-size", o->max_size,
                      "Largest document accepted, in bytes (default: feed.max_size of the "
                      "configuration, or 1048576 with --anchor)")
          ->default_str("");
  cmd->callback([&ctx, o] { run_verify(ctx, *o); });
}

}  // namespace emctl
