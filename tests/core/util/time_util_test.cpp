#include <catch2/catch.hpp>

#include "core/util/time_util.hpp"

using namespace std::chrono;

TEST_CASE("RFC 3339 times parse in UTC and with offsets") {
  auto t = em::parse_rfc3339("2021-12-07T00:00:00Z");
  REQUIRE(t);
  CHECK(system_clock::to_time_t(*t) == 1638835200);
  auto with_offset = em::parse_rfc3339("2021-12-07T02:00:00+02:00");
  REQUIRE(with_offset);
  CHECK(*with_offset == *t);
  auto frac = em::parse_rfc3339("2021-12-07T00:00:00.250Z");
  REQUIRE(frac);
  CHECK(duration_cast<milliseconds>(*frac - *t).count() == 250);
  CHECK(em::parse_rfc3339("2024-02-29T23:59:59z"));
}

TEST_CASE("malformed RFC 3339 times are refused") {
  for (const char* bad :
       {"", "2021-12-07", "2021-12-07T00:00:00", "2021-12-07 00:00:00Z", "2021-13-07T00:00:00Z",
        "2021-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2021-12-07T24:00:00Z",
        "2021-12-07T00:00:00+0200", "2021-12-07T00:00:00.Z", "2021-12-07T00:00:00Zjunk",
        "yesterday", "2021-12-07T00:00:00+99:99", "2021-12-07T00:00:00-24:00",
        "2021-12-07T00:00:00+02:60"})
    CHECK_FALSE(em::parse_rfc3339(bad));
}

TEST_CASE("times format as RFC 3339 with and without milliseconds") {
  auto t = system_clock::from_time_t(1638835200) + milliseconds(7);
  CHECK(em::format_rfc3339(t) == "2021-12-07T00:00:00Z");
  CHECK(em::format_rfc3339_ms(t) == "2021-12-07T00:00:00.007Z");
  CHECK(em::parse_rfc3339(em::format_rfc3339_ms(t)) == t);
}
