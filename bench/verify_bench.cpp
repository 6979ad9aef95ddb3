// A whole verification as the service does it on each cycle: XML signature
// (C14N, SHA-256, RSA), the chain to the anchor with its EKU, the CRLs of
// every certificate (revocation = require), then the model from the
// verified bytes.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "bench/bench_documents.hpp"
#include "core/trust/document_verifier.hpp"

namespace {

em::trust_settings settings() {
  const auto& pki = em::bench::pki();
  em::trust_settings s;
  s.anchors = {pki / "root.pem"};
  s.eku = {"1.3.6.1.5.5.7.3.3"};
  s.crl_files = {pki / "root.crl", pki / "ca.crl"};
  s.revocation = em::revocation_mode::require;
  s.max_size = 16 * 1024 * 1024;
  return s;
}

void verify_document(benchmark::State& state) {
  const auto configs = static_cast<std::size_t>(state.range(0));
  const auto& bytes = em::bench::signed_document(configs);
  em::document_verifier verifier(settings());
  const auto now = std::chrono::system_clock::now();
  auto first = verifier.verify(bytes, now);
  if (!first.verified || first.document.mitigations.size() != configs)
    throw std::runtime_error("the benchmark's document does not verify: " + first.reason);
  for (auto _ : state) {
    auto v = verifier.verify(bytes, now);
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["configs"] = static_cast<double>(configs);
}

}  // namespace

BENCHMARK(verify_document)->Arg(1)->Arg(1000)->Unit(benchmark::kMillisecond);
