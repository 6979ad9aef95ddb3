// Building the model from (already verified) document bytes.
#include <benchmark/benchmark.h>

#include "bench/bench_documents.hpp"
#include "core/model/document_parser.hpp"

namespace {

void parse_document(benchmark::State& state) {
  const auto xml = em::bench::unsigned_document(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto doc = em::parse_mitigation_document(xml);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
  state.counters["configs"] = static_cast<double>(state.range(0));
}

}  // namespace

BENCHMARK(parse_document)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);
