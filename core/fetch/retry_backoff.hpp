#pragma once

#include <chrono>

namespace em {

// How soon to try again after `failures` failed check cycles in a row (1 or
// more): `first` (1 minute by default), doubling with each further failure,
// and never later than `interval`, the schedule's own cadence, so a failing
// feed is retried sooner than the schedule would, backs off as failures
// repeat, and is never checked less often than on schedule. 0 failures: `interval`.
//
//   retry_delay(1, 1h) == 1m, 2m, 4m, 8m, 16m, 32m, then 1h, 1h, …
std::chrono::milliseconds retry_delay(unsigned failures, std::chrono::milliseconds interval,
                                      std::chrono::milliseconds first = std::chrono::minutes(1));

}  // namespace em
