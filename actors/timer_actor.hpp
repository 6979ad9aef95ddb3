#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include <caf/actor_clock.hpp>

#include "actors/interfaces.hpp"

namespace em {

struct timer_settings {
  std::chrono::milliseconds initial_delay{10 * 60'000};
  std::chrono::milliseconds interval{60 * 60'000};
  std::chrono::milliseconds jitter{0};
  bool scheduled = true;   // false: cycles only on request (emsd --once)
  std::uint64_t seed = 0;  // for the jitter; fixed in tests
};

struct timer_state {
  static inline const char* name = "timer";
  timer_settings settings;
  fetcher_actor fetcher;
  audit_actor audit;
  bool busy = false;
  std::uint64_t cycles_started = 0;
  std::uint64_t ticks_skipped = 0;
  unsigned fetch_failures = 0;  // in a row
  bool decide_again = false;    // a setting changed during the cycle in hand
  caf::actor_clock::time_point next_tick{};
  std::mt19937_64 rng;
  // A document a long-poll brought while a cycle ran: checked right after it
  // (the latest one only).
  std::optional<fetched_document> pending;
};

// SPEC 4's schedule: the first cycle initial_delay after start, then one every
// interval (plus up to `jitter`). A cycle never overlaps another: a tick that
// finds one running is skipped, and run requests are refused with
// cycle_errc::busy. After a failed fetch the next try comes sooner (1 minute,
// doubling with each failure in a row: retry_delay), never later than the
// next scheduled tick; so is a cycle that found the store unavailable. A
// document a long-poll brought (SPEC 12) starts a cycle on it at once; one
// that comes while a cycle runs waits for its end.
//
// A change of a watched setting (settings_atom, SPEC 11) runs a decision
// pass over the last accepted document: at once, or right after the cycle
// in hand, never beside it.
timer_actor::behavior_type timer(timer_actor::stateful_pointer<timer_state> self,
                                 timer_settings settings, fetcher_actor fetcher, audit_actor audit);

}  // namespace em
