#include <catch2/catch.hpp>

#include "core/fetch/wait_preference.hpp"

using namespace em;
using std::chrono::seconds;

TEST_CASE("issue_14 the wait preference is read as RFC 7240 writes it") {
  CHECK(parse_wait_preference("wait=10") == seconds(10));
  CHECK(parse_wait_preference("respond-async, wait=30") == seconds(30));
  CHECK(parse_wait_preference("  WAIT = 5 ") == seconds(5));
  CHECK(parse_wait_preference("wait=\"7\"") == seconds(7));
  CHECK(parse_wait_preference("wait=5;foo=bar") == seconds(5));
  CHECK(parse_wait_preference("handling=lenient, wait=0") == seconds(0));
  // Nothing usable: no wait, or not a number of seconds.
  CHECK_FALSE(parse_wait_preference(""));
  CHECK_FALSE(parse_wait_preference("respond-async"));
  CHECK_FALSE(parse_wait_preference("wait"));
  CHECK_FALSE(parse_wait_preference("wait="));
  CHECK_FALSE(parse_wait_preference("wait=abc"));
  CHECK_FALSE(parse_wait_preference("wait=-5"));
  CHECK_FALSE(parse_wait_preference("wait=1.5"));
  CHECK_FALSE(parse_wait_preference("waiting=5"));
  // Too large to mean anything: the ceiling, never an overflow.
  CHECK(parse_wait_preference("wait=99999999999999999999999999") == seconds(86400));
  CHECK(parse_wait_preference("wait=600", seconds(300)) == seconds(300));
  CHECK(wait_preference(seconds(42)) == "wait=42");
}
