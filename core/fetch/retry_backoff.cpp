#include "core/fetch/retry_backoff.hpp"

#include <algorithm>

namespace em {

std::chrono::milliseconds retry_delay(unsigned failures, std::chrono::milliseconds interval,
                                      std::chrono::milliseconds first) {
  if (failures == 0 || first >= interval) return interval;
  auto delay = first;
  // Doubling stops at the interval, long before the count could overflow it.
  for (unsigned i = 1; i < failures && delay < interval; ++i)
    delay *= 2;
  return std::min(delay, interval);
}

}  // namespace em
