#include <catch2/catch.hpp>

#include "tests/core/store/store_backends.hpp"

TEMPLATE_TEST_CASE("the organisation has MitigationsEnabled true by default", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  const auto org = store->get_org();
  CHECK(org.mitigations_enabled);
  CHECK_FALSE(org.organization_id.empty());
  CHECK(store->audit_log().empty());
}

TEMPLATE_TEST_CASE("changing the organisation's MitigationsEnabled writes one audit row", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto store = backend.open();
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);

  store->set_org_mitigations_enabled(false, "alice");
  CHECK_FALSE(store->get_org().mitigations_enabled);

  auto log = store->audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].user == "alice");
  CHECK(log[0].target == "Organization");
  CHECK(log[0].setting == "MitigationsEnabled");
  CHECK(log[0].old_value == "True");
  CHECK(log[0].new_value == "False");
  CHECK(log[0].at >= before);
  CHECK(log[0].at <= std::chrono::system_clock::now() + std::chrono::seconds(1));

  SECTION("setting the same value again is not a change") {
    store->set_org_mitigations_enabled(false, "bob");
    CHECK(store->audit_log().size() == 1);
  }
  SECTION("setting it back is a second row, oldest first") {
    store->set_org_mitigations_enabled(true, "bob");
    CHECK(store->get_org().mitigations_enabled);
    log = store->audit_log();
    REQUIRE(log.size() == 2);
    CHECK(log[0].id < log[1].id);
    CHECK(log[1].user == "bob");
    CHECK(log[1].old_value == "False");
    CHECK(log[1].new_value == "True");
  }
}
