#include <catch2/catch.hpp>

#include "core/model/build_version.hpp"
#include "core/model/mitigation_document.hpp"

using em::build_range;
using em::build_version;

namespace {
build_version v(const char* s) {
  auto b = build_version::parse(s);
  REQUIRE(b);
  return *b;
}
}  // namespace

TEST_CASE("build numbers parse with up to four parts, missing parts are zero") {
  CHECK(v("15.2.1118.7").to_string() == "15.2.1118.7");
  CHECK(v("15.2").to_string() == "15.2.0.0");
  CHECK(v("15") == v("15.0.0.0"));
  CHECK(v("4294967295.0.0.1").parts()[0] == 4294967295u);
}

TEST_CASE("malformed build numbers are refused") {
  for (const char* bad : {"", ".", "15.", ".15", "15..2", "15.2.1118.7.1", "15.2.a", "-1.2",
                          "15.2.1118.7 ", " 15.2", "4294967296.0", "15,2", "+1.2"})
    CHECK_FALSE(build_version::parse(bad));
}

TEST_CASE("builds compare numerically part by part, not as text") {
  CHECK(v("15.2.986.30") < v("15.2.1118.0"));
  CHECK(v("15.2.1118.15") < v("15.2.1118.20"));
  CHECK(v("15.2.9") < v("15.2.10"));
  CHECK(v("15.2.1118.7") == v("15.2.1118.7"));
  CHECK(v("15.2.1118") < v("15.2.1118.1"));
  CHECK(v("16") > v("15.99.99.99"));
}

TEST_CASE("M1's real ranges: CU11 up to 15.2.986.30 and CU12 up to 15.2.1118.15") {
  em::mitigation m1;
  m1.id = "M1";
  m1.has_applicability = true;
  m1.ranges = {{"Exchange2019", v("15.2.221.12"), v("15.2.986.30")},
               {"Exchange2019", v("15.2.1118.0"), v("15.2.1118.15")}};
  CHECK(m1.applies_to("Exchange2019", v("15.2.986.30")));
  CHECK(m1.applies_to("Exchange2019", v("15.2.1118.15")));
  CHECK(m1.applies_to("Exchange2019", v("15.2.1118.7")));
  CHECK(m1.applies_to("Exchange2019", v("15.2.221.12")));
  CHECK_FALSE(m1.applies_to("Exchange2019", v("15.2.986.36")));
  CHECK_FALSE(m1.applies_to("Exchange2019", v("15.2.1118.20")));
  CHECK_FALSE(m1.applies_to("Exchange2019", v("15.2.221.11")));
  CHECK_FALSE(m1.applies_to("Exchange2016", v("15.2.1118.7")));
}

TEST_CASE("open-ended ranges and Configs without Applicability") {
  build_range from{"Exchange2016", v("15.1.2375.7"), std::nullopt};
  CHECK(from.contains("Exchange2016", v("15.1.2507.6")));
  CHECK_FALSE(from.contains("Exchange2016", v("15.1.2308.8")));
  build_range any{"Exchange2016", std::nullopt, std::nullopt};
  CHECK(any.contains("Exchange2016", v("1")));
  em::mitigation ping;
  ping.has_applicability = false;
  CHECK(ping.applies_to("Anything", v("0")));
  em::mitigation empty;
  empty.has_applicability = true;  // <Applicability/> with no Range: applies nowhere
  CHECK_FALSE(empty.applies_to("Exchange2019", v("15.2.1118.7")));
}

TEST_CASE("mitigation and action IDs") {
  CHECK(em::is_valid_mitigation_id("M1"));
  CHECK(em::is_valid_mitigation_id("PING1"));
  CHECK(em::is_valid_mitigation_id("a_b-C9"));
  CHECK(em::is_valid_mitigation_id(std::string(32, 'x')));
  CHECK_FALSE(em::is_valid_mitigation_id(std::string(33, 'x')));
  CHECK_FALSE(em::is_valid_mitigation_id(""));
  CHECK_FALSE(em::is_valid_mitigation_id("M 1"));
  CHECK_FALSE(em::is_valid_mitigation_id("M1.1"));
  CHECK(em::is_valid_action_id("M1.1"));
  CHECK(em::is_valid_action_id("PING1.12"));
  CHECK_FALSE(em::is_valid_action_id("M1"));
  CHECK_FALSE(em::is_valid_action_id("M1."));
  CHECK_FALSE(em::is_valid_action_id("M1.0"));
  CHECK_FALSE(em::is_valid_action_id("M1.01"));
  CHECK_FALSE(em::is_valid_action_id(".1"));
  CHECK_FALSE(em::is_valid_action_id("M1.x"));
}
