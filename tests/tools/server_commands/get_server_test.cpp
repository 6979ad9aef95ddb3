#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/tools/server_commands/emctl_fixture.hpp"

using em::test::emctl_fixture;
using json = nlohmann::json;

namespace {

const std::string ex01_list =
    "Name : EX01\n"
    "MitigationsEnabled : True\n"
    "MitigationsApplied : {M1.1, PING1.1}\n"
    "MitigationsBlocked : {}\n"
    "DataCollectionEnabled : False\n"
    "InternetWebProxy : \n"
    "Product : Exchange2019\n"
    "Build : 15.2.1118.7\n"
    "LastCheck : 2026-11-27T10:00:00Z\n"
    "LastResult : Completed\n";

const std::string ex02_list =
    "Name : EX02\n"
    "MitigationsEnabled : True\n"
    "MitigationsApplied : {}\n"
    "MitigationsBlocked : {}\n"
    "DataCollectionEnabled : False\n"
    "InternetWebProxy : \n"
    "Product : Exchange2016\n"
    "Build : 15.1.2507.6\n"
    "LastCheck : \n"
    "LastResult : \n";

}  // namespace

TEST_CASE("get-server NAME prints one server as Format-List") {
  emctl_fixture f;
  auto r = f.emctl({"get-server", "ex01"});  // any case, as in Exchange
  CHECK(r.exit_code == 0);
  CHECK(r.out == ex01_list);
  CHECK(r.err.empty());
}

TEST_CASE("get-server without NAME prints every server, separated by a blank line") {
  emctl_fixture f;
  auto r = f.emctl({"get-server"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == ex01_list + "\n" + ex02_list);
}

TEST_CASE("get-server --property prints those properties in the order given") {
  emctl_fixture f;
  auto r = f.emctl({"get-server", "--property", "Name,MitigationsApplied"});
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "Name : EX01\nMitigationsApplied : {M1.1, PING1.1}\n\n"
        "Name : EX02\nMitigationsApplied : {}\n");

  r = f.emctl({"get-server", "EX01", "--property", "mitigationsblocked,name"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "MitigationsBlocked : {}\nName : EX01\n");

  SECTION("an unknown property is bad usage") {
    r = f.emctl({"get-server", "--property", "Name,Identity"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("emctl: unknown property 'Identity'", 0) == 0);
  }
}

TEST_CASE("get-server --json prints an array, or one object for NAME") {
  emctl_fixture f;
  auto r = f.emctl({"get-server", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto all = json::parse(r.out);
  REQUIRE(all.is_array());
  REQUIRE(all.size() == 2);
  CHECK(all[1]["Name"] == "EX02");

  r = f.emctl({"get-server", "EX01", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto one = json::parse(r.out);
  REQUIRE(one.is_object());
  CHECK(one == all[0]);
  CHECK(one["Name"] == "EX01");
  CHECK(one["MitigationsEnabled"] == true);
  CHECK(one["MitigationsApplied"] == json::array({"M1.1", "PING1.1"}));
  CHECK(one["MitigationsBlocked"] == json::array());
  CHECK(one["DataCollectionEnabled"] == false);
  CHECK(one["InternetWebProxy"].is_null());
  CHECK(one["Product"] == "Exchange2019");
  CHECK(one["Build"] == "15.2.1118.7");
  CHECK(one["LastCheck"] == "2026-11-27T10:00:00Z");
  CHECK(one["LastResult"] == "Completed");
  CHECK(one.size() == 10);
  CHECK(all[1]["LastCheck"].is_null());

  SECTION("with --property, only those keys") {
    r = f.emctl({"get-server", "EX01", "--json", "--property", "Name,MitigationsApplied"});
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out) ==
          json{{"Name", "EX01"}, {"MitigationsApplied", json::array({"M1.1", "PING1.1"})}});
  }
}

TEST_CASE("get-server of an unknown server is bad input") {
  emctl_fixture f;
  for (bool as_json : {false, true}) {
    auto r = as_json ? f.emctl({"get-server", "EX09", "--json"}) : f.emctl({"get-server", "EX09"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "emctl: unknown server 'EX09'\n");
  }
}

TEST_CASE("a store emctl cannot use is a failure naming the file") {
  emctl_fixture f;
  {
    // As a newer release would leave it.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(f.store_file.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto r = f.emctl({"get-server"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("emctl: store " + f.store_file.string(), 0) == 0);
  CHECK(r.err.find("newer") != std::string::npos);
}
