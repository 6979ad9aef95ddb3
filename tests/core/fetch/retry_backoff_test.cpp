#include <catch2/catch.hpp>

#include "core/fetch/retry_backoff.hpp"

using namespace std::chrono_literals;

TEST_CASE("retries back off from a minute and never wait longer than the interval") {
  const std::chrono::milliseconds hour = 1h;
  CHECK(em::retry_delay(0, hour) == hour);
  CHECK(em::retry_delay(1, hour) == 1min);
  CHECK(em::retry_delay(2, hour) == 2min);
  CHECK(em::retry_delay(6, hour) == 32min);
  CHECK(em::retry_delay(7, hour) == hour);
  CHECK(em::retry_delay(1000000, hour) == hour);
  // A schedule shorter than the first retry is never slowed down.
  CHECK(em::retry_delay(1, 30s) == 30s);
  CHECK(em::retry_delay(3, 10min, 2min) == 8min);
}
