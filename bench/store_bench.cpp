// The store's one transaction at the end of a cycle (SQLite, on disk, WAL):
// MitigationsApplied, every action's status, the accepted document.
#include <benchmark/benchmark.h>

#include "bench/bench_documents.hpp"
#include "core/store/sqlite_store.hpp"

namespace {

em::cycle_record cycle_of(std::size_t actions, const std::string& bytes) {
  em::cycle_record r;
  r.checked_at = std::chrono::system_clock::now();
  r.result = "Completed: " + std::to_string(actions) + " applied";
  for (std::size_t i = 1; i <= actions; ++i) {
    const auto id = "M" + std::to_string(i) + ".1";
    r.applied.push_back(id);
    r.statuses.push_back(
        {"EX01", id, "DoNothing", "No change", em::action_state::applied, {}, r.checked_at});
  }
  r.accepted_sequence = 1;
  r.accepted_digest = std::string(64, 'a');
  r.document = em::stored_document{"https://feed.example/getexchangemitigations", "\"etag\"", bytes,
                                   r.accepted_digest, r.checked_at};
  return r;
}

void record_cycle(benchmark::State& state) {
  const auto actions = static_cast<std::size_t>(state.range(0));
  auto file = em::bench::scratch() / ("store-" + std::to_string(actions) + ".db");
  auto store = em::open_sqlite_store(file);
  store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  const auto record = cycle_of(actions, em::bench::signed_document(actions));
  for (auto _ : state)
    store->record_cycle("EX01", record);
  state.counters["actions"] = static_cast<double>(actions);
}

}  // namespace

BENCHMARK(record_cycle)->Arg(1)->Arg(1000)->Unit(benchmark::kMillisecond);
