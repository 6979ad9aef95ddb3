// What verifying the worst input under the limits costs (docs/trust.md): each
// document limit used to the full, filled up to the 1 MiB size limit, and the
// inputs of issue 12's review, through the whole document_verifier (limit
// pass, libxml2, structure, chain and CRLs from files, C14N and digest,
// signature, model). Plus the streaming pass alone on 1 MiB.
//
//   build/bench/trust/em_trust_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/trust/document_limits.hpp"
#include "core/trust/document_signer.hpp"
#include "core/trust/document_verifier.hpp"
#include "tests/core/trust/bounds/worst_case_inputs.hpp"

namespace {

namespace fs = std::filesystem;

const char* const ping =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n"
    "  <Config id=\"PING1\" desc=\"EEMS Heartbeat probe.\">\n    <ActionList>\n"
    "      <Action type=\"DoNothing\" scope=\"Server\" desc=\"Ping\"><Value>DoNothing</Value>"
    "</Action>\n    </ActionList>\n  </Config>\n</EOCS>\n";

// A throw-away PKI from the tests' script, removed at exit.
const fs::path& pki() {
  static const fs::path dir = [] {
    char tmpl[] = "/tmp/emtrustbench.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    const std::string command =
        std::string(EM_SOURCE_DIR) + "/scripts/make-test-pki.sh '" + tmpl + "' > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
      throw std::runtime_error("scripts/make-test-pki.sh failed (is openssl installed?)");
    static const std::string keep = tmpl;
    std::atexit([] { fs::remove_all(keep); });
    return fs::path(tmpl);
  }();
  return dir;
}

const std::string& signed_doc() {
  static const std::string doc = [] {
    em::signing_request r;
    r.key_file = pki() / "signer.key";
    r.cert_file = pki() / "signer.pem";
    r.chain_files = {pki() / "chain.pem"};
    r.sequence = 1;
    return em::sign_document(ping, r);
  }();
  return doc;
}

const em::document_verifier& verifier() {
  static const auto v = [] {
    em::trust_settings s;
    s.anchors = {pki() / "root.pem"};
    s.crl_files = {pki() / "root.crl", pki() / "ca.crl"};
    s.eku = {"1.3.6.1.5.5.7.3.3"};
    return std::make_unique<em::document_verifier>(s);
  }();
  return *v;
}

void verify(benchmark::State& state, const std::string& doc) {
  std::string reason;
  for (auto _ : state) {
    auto v = verifier().verify(doc, std::chrono::system_clock::now());
    reason = v.reason;
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel(std::to_string(doc.size()) +
                 " B: " + (reason.empty() ? std::string("Verified") : reason.substr(0, 60)));
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

// The inputs of issue 12's review, as reproduced there.
void register_review_inputs() {
  const std::string& good = signed_doc();
  benchmark::RegisterBenchmark("review/good document", verify, good)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(
      "review/c14n bomb 8000x800", verify,
      replaced(replaced(good, "<EOCS ", "<EOCS" + em::test::namespace_declarations(8000) + " "),
               "</Config>", em::test::repeat("<e/>", 800) + "</Config>"))
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(
      "review/c14n bomb in Object 4000x400", verify,
      replaced(good, "</KeyInfo>",
               "</KeyInfo><Object" + em::test::namespace_declarations(4000) + ">" +
                   em::test::repeat("<e/>", 400) + "</Object>"))
      ->Unit(benchmark::kMillisecond);
  std::string attributes = "<EOCS";
  for (int i = 0; i < 100000; ++i)
    attributes += " a" + std::to_string(i) + "=\"\"";
  benchmark::RegisterBenchmark("review/attribute bomb 100000", verify, attributes + "/>")
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("review/NUL after the root", verify,
                               good + std::string("\0<Config id=\"EVIL\"/>", 20))
      ->Unit(benchmark::kMillisecond);
}

void register_worst_cases() {
  for (const auto& input : em::test::worst_case_inputs(signed_doc())) {
    benchmark::RegisterBenchmark(("at limit/" + input.limit).c_str(), verify, input.at_limit)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("over limit/" + input.limit).c_str(), verify, input.over_limit)
        ->Unit(benchmark::kMillisecond);
  }
  // The streaming pass alone, over the largest input (1 MiB).
  const std::string largest = em::test::worst_case_inputs(signed_doc())[0].at_limit;
  benchmark::RegisterBenchmark(
      "limit pass alone/1 MiB",
      [](benchmark::State& state, const std::string& doc) {
        for (auto _ : state)
          benchmark::DoNotOptimize(em::trust_detail::check_document_limits(doc));
        state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
      },
      largest)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

// The inputs are made at run time (a PKI, a signature), after every static
// of the libraries is ready: hence a main of its own.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_review_inputs();
  register_worst_cases();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
