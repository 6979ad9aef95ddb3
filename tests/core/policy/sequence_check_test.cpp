#include <catch2/catch.hpp>

#include "core/policy/sequence_check.hpp"

using em::accepted_state;
using em::check_sequence;

TEST_CASE("sequence freshness rules (SPEC 2)") {
  accepted_state none;
  accepted_state seen{42, "abc"};
  CHECK(check_sequence(42, "abc", none, true).empty());
  CHECK(check_sequence(43, "def", seen, true).empty());
  CHECK(check_sequence(42, "abc", seen, true).empty());  // the same document again
  CHECK(check_sequence(41, "old", seen, true) ==
        "rollback: sequence 41 is lower than 42, already accepted");
  CHECK(check_sequence(42, "other", seen, true) ==
        "sequence 42 was already accepted for a different document");
  CHECK(check_sequence(std::nullopt, "x", none, true) ==
        "no sequence on EOCS (trust.require_sequence is true)");
  CHECK(check_sequence(std::nullopt, "x", none, false).empty());
}

TEST_CASE("issue_12_unsequenced_after_sequenced") {
  // Once a sequence was accepted, require_sequence = false no longer admits
  // a document without one: that would replay old unsequenced documents.
  accepted_state seen{42, "abc"};
  for (bool require : {true, false})
    CHECK(check_sequence(std::nullopt, "x", seen, require) ==
          "no sequence on EOCS (this server already accepted sequence 42, so one is required)");
}
