// SPEC 4 step 3 for 1,000 actions: organisation and server switches, the
// block list (100 entries), applicability against this server's build.
#include <benchmark/benchmark.h>

#include "bench/bench_documents.hpp"
#include "core/model/document_parser.hpp"
#include "core/policy/action_decision.hpp"

namespace {

void decide_actions(benchmark::State& state) {
  const auto actions = static_cast<std::size_t>(state.range(0));
  const auto doc = em::parse_mitigation_document(em::bench::unsigned_document(actions));
  em::org_settings org;
  em::server_record server;
  server.name = "EX01";
  for (std::size_t i = 10; i <= actions; i += 10)
    server.blocked.push_back("M" + std::to_string(i));
  em::server_identity identity{"EX01", "Exchange2019", em::build_version::parse("15.2.1118.7")};
  for (auto _ : state) {
    auto decisions = em::decide_actions(doc, org, server, identity);
    benchmark::DoNotOptimize(decisions);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * actions));
}

}  // namespace

BENCHMARK(decide_actions)->Arg(1000)->Unit(benchmark::kMicrosecond);
