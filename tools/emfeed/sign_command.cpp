// emfeed sign: the publisher signs an unsigned EOCS document (SPEC 7), and is
// refused, with the reason, anything every server's verifier would reject
// (em::sign_document: structure, invalid Configs, a past expires, a weak key).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/trust/document_signer.hpp"
#include "core/util/error.hpp"
#include "core/util/file_util.hpp"
#include "core/util/time_util.hpp"
#include "tools/emfeed/commands.hpp"

namespace emfeed {
namespace {

constexpr std::size_t max_input = 16 * 1024 * 1024;

struct sign_options {
  std::string key, cert, in, out, expires;
  std::vector<std::string> chain;
  std::uint64_t sequence = 0;
  CLI::Option* sequence_option = nullptr;
};

void run_sign(const sign_options& o) {
  em::signing_request request;
  request.key_file = o.key;
  request.cert_file = o.cert;
  for (const auto& c : o.chain)
    request.chain_files.emplace_back(c);
  if (o.sequence_option->count() > 0) request.sequence = o.sequence;
  if (!o.expires.empty()) {
    auto t = em::parse_rfc3339(o.expires);
    if (!t)
      throw em::invalid_input("--expires '" + o.expires +
                              "' is not an RFC 3339 time (e.g. 2026-12-31T00:00:00Z)");
    // A document that is already expired would be refused by every server.
    if (*t <= std::chrono::system_clock::now())
      throw em::invalid_input("--expires " + em::format_rfc3339(*t) + " is in the past");
    request.expires = t;
  }
  std::string input;
  try {
    input = em::read_file(o.in, max_input);
  } catch (const em::error& e) {
    throw em::invalid_input(e.what());
  }
  std::string signed_xml = em::sign_document(input, request);
  em::write_file_atomic(o.out, signed_xml);
  std::cout << "Signed " << o.in << " -> " << o.out << "\n";
}

}  // namespace

void add_sign_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<sign_options>();
  CLI::App* cmd = app.add_subcommand("sign", "Sign an unsigned EOCS mitigation document");
  cmd->add_option("--key", o->key, "Signer's private key (PEM, RSA or EC)")->required();
  cmd->add_option("--cert", o->cert, "Signer's certificate (PEM)")->required();
  cmd->add_option("--chain", o->chain, "Intermediate certificate(s) to embed (PEM), repeatable");
  o->sequence_option = cmd->add_option("--sequence", o->sequence, "Sets EOCS@sequence");
  cmd->add_option("--expires", o->expires, "Sets EOCS@expires (RFC 3339, in the future)");
  cmd->add_option("IN", o->in, "The unsigned document")->required();
  cmd->add_option("OUT", o->out, "Where to write the signed document (replaced atomically)")
      ->required();
  cmd->callback([o, &exit_code] {
    run_sign(*o);
    exit_code = 0;
  });
}

}  // namespace emfeed
