#include <catch2/catch.hpp>

#include "core/util/duration.hpp"

using namespace std::chrono;

TEST_CASE("durations of the configuration file") {
  CHECK(em::parse_duration("30s") == milliseconds(30'000));
  CHECK(em::parse_duration("10m") == minutes(10));
  CHECK(em::parse_duration("1h") == hours(1));
  CHECK(em::parse_duration("1h30m") == minutes(90));
  CHECK(em::parse_duration("500ms") == milliseconds(500));
  CHECK(em::parse_duration("0s") == milliseconds(0));
  CHECK(em::parse_duration("2d") == hours(48));
}

TEST_CASE("bad durations are refused") {
  for (const char* bad : {"", "10", "1 hour", "h", "-5s", "5x", "1.5h", "10M", "s10",
                          "99999999999999999999s", "9223372036854775807h"})
    CHECK_FALSE(em::parse_duration(bad));
}

TEST_CASE("durations format back compactly") {
  CHECK(em::format_duration(minutes(90)) == "1h30m");
  CHECK(em::format_duration(milliseconds(0)) == "0s");
  CHECK(em::format_duration(milliseconds(1500)) == "1s500ms");
}
