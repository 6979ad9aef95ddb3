// emctl rollback says in one line why it cannot roll back, with exit code 2
// for a bad or unknown action ID and 1 for everything else.
#include <catch2/catch.hpp>

#include "core/store/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/tools/rollback/rollback_fixture.hpp"

using namespace em::test;

TEST_CASE_METHOD(rollback_fixture, "emctl rollback refuses what it cannot do, in one line") {
  auto malformed = emctl({"rollback", "M1"});
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.err == "emctl: 'M1' is not an action ID (<ConfigId>.<n>, for example M1.1)\n");

  auto early = emctl({"rollback", "M1.1"});
  CHECK(early.exit_code == 1);
  CHECK_THAT(early.err, Catch::Contains("is not registered in the store"));

  sign("1");
  REQUIRE(emsd_once().exit_code == 0);
  const std::string applied = read_text(tree.site_root_config());

  auto unknown = emctl({"rollback", "M9.1"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "emctl: action M9.1 is not in the last accepted document (its actions: "
        "M1.1, M2.1, M2.2)\n");

  SECTION("the stored document no longer verifies with the configured trust") {
    write_config("eku = [\"1.2.3.4\"]\n");
    auto r = emctl({"rollback", "M1.1"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("emctl: the last accepted document (fetched "));
    CHECK_THAT(r.err, Catch::Contains("does not verify with the configured trust"));
    CHECK(occurrences(r.err, "\n") == 1);
  }
  SECTION("no plugin for the action's type") {
    write_config({}, path("empty-plugins").string());
    std::filesystem::create_directories(path("empty-plugins"));
    auto r = emctl({"rollback", "M1.1"});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "emctl: rollback of M1.1 failed: no plugin handles action type 'UrlRewrite'\n");
    auto audit = em::open_sqlite_store(path("state.db"))->audit_log();
    REQUIRE_FALSE(audit.empty());
    CHECK(audit.back().new_value == "Rollback failed: no plugin handles action type 'UrlRewrite'");
    CHECK_THAT(log_text(), Catch::Contains(",ApplyMitigation,S:LogLevel=Error;S:Message=Rollback "
                                           "of mitigation M1.1 (UrlRewrite, Default Web Site) "
                                           "failed: no plugin handles"));
  }
  CHECK(read_text(tree.site_root_config()) == applied);
}
