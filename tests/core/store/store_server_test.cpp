#include <catch2/catch.hpp>

#include "core/util/error.hpp"
#include "tests/core/store/store_backends.hpp"

namespace {

template <class Backend>
struct fixture {
  Backend backend;
  std::unique_ptr<em::store> store = backend.ready() ? backend.open() : nullptr;

  fixture() {
    if (store) store->register_server("EX01", "Exchange2019", "15.2.1118.7");
  }

  em::server_record ex01() {
    auto r = store->find_server("EX01");
    REQUIRE(r);
    return *r;
  }
};

}  // namespace

TEMPLATE_TEST_CASE("a registered server has the defaults", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  const auto r = f.ex01();
  CHECK(r.name == "EX01");
  CHECK(r.mitigations_enabled);
  CHECK(r.applied.empty());
  CHECK(r.blocked.empty());
  CHECK_FALSE(r.data_collection_enabled);
  CHECK(r.internet_web_proxy.empty());
  CHECK(r.product == "Exchange2019");
  CHECK(r.build == "15.2.1118.7");
  CHECK_FALSE(r.last_check);
  CHECK(r.last_result.empty());
  CHECK_FALSE(r.highest_sequence);
  CHECK(f.store->audit_log().empty());
}

TEMPLATE_TEST_CASE("server names are found regardless of case, as in Exchange", "[store]",
                   EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  REQUIRE(f.store->find_server("ex01"));
  CHECK(f.store->find_server("ex01")->name == "EX01");
  CHECK_FALSE(f.store->find_server("EX02"));

  SECTION("registering again in another case updates the one server") {
    f.store->update_server("EX01", {true, std::vector<std::string>{"M1"}, {}, {}}, "alice");
    f.store->register_server("ex01", "Exchange2019", "15.2.1118.15");
    const auto all = f.store->list_servers();
    REQUIRE(all.size() == 1);
    CHECK(all[0].name == "EX01");
    CHECK(all[0].build == "15.2.1118.15");
    CHECK(all[0].blocked == std::vector<std::string>{"M1"});
  }
}

TEMPLATE_TEST_CASE("servers are listed by name", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  f.store->register_server("mbx02", "Exchange2019", "15.2.1118.7");
  f.store->register_server("Ex00", "Exchange2016", "15.1.2507.6");
  std::vector<std::string> names;
  for (const auto& s : f.store->list_servers())
    names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"Ex00", "EX01", "mbx02"});
}

TEMPLATE_TEST_CASE("a bad server name is refused at registration", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  CHECK_THROWS_AS(f.store->register_server("", "Exchange2019", "15.2.1118.7"), em::invalid_input);
  CHECK_THROWS_AS(f.store->register_server("EX\n02", "Exchange2019", "1.0"), em::invalid_input);
  CHECK(f.store->list_servers().size() == 1);
}

TEMPLATE_TEST_CASE("update_server changes each setting and audits it as Format-List text",
                   "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  em::server_changes c;
  std::string setting, old_value, new_value;

  SECTION("MitigationsEnabled") {
    c.mitigations_enabled = false;
    f.store->update_server("EX01", c, "alice");
    CHECK_FALSE(f.ex01().mitigations_enabled);
    setting = "MitigationsEnabled", old_value = "True", new_value = "False";
  }
  SECTION("MitigationsBlocked") {
    c.blocked = std::vector<std::string>{"M1", "M2.1"};
    f.store->update_server("EX01", c, "alice");
    CHECK(f.ex01().blocked == std::vector<std::string>{"M1", "M2.1"});
    setting = "MitigationsBlocked", old_value = "{}", new_value = "{M1, M2.1}";
  }
  SECTION("DataCollectionEnabled") {
    c.data_collection_enabled = true;
    f.store->update_server("EX01", c, "alice");
    CHECK(f.ex01().data_collection_enabled);
    setting = "DataCollectionEnabled", old_value = "False", new_value = "True";
  }
  SECTION("InternetWebProxy") {
    c.internet_web_proxy = "http://proxy.contoso.com:8080";
    f.store->update_server("ex01", c, "alice");
    CHECK(f.ex01().internet_web_proxy == "http://proxy.contoso.com:8080");
    setting = "InternetWebProxy", old_value = "", new_value = "http://proxy.contoso.com:8080";
  }
  const auto log = f.store->audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].user == "alice");
  CHECK(log[0].target == "EX01");  // the registered name, whatever case was typed
  CHECK(log[0].setting == setting);
  CHECK(log[0].old_value == old_value);
  CHECK(log[0].new_value == new_value);
}

TEMPLATE_TEST_CASE("update_server audits only the settings whose value changes", "[store]",
                   EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  em::server_changes c;
  c.mitigations_enabled = true;                      // already true
  c.blocked = std::vector<std::string>{"M1", "M1"};  // a repeat is kept once
  c.data_collection_enabled = false;                 // already false
  f.store->update_server("EX01", c, "alice");
  CHECK(f.ex01().blocked == std::vector<std::string>{"M1"});
  auto log = f.store->audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].new_value == "{M1}");

  f.store->update_server("EX01", c, "alice");
  CHECK(f.store->audit_log().size() == 1);
}

TEMPLATE_TEST_CASE("an empty list or string clears", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  em::server_changes set;
  set.blocked = std::vector<std::string>{"M1", "PING1.1"};
  set.internet_web_proxy = "https://[::1]:3128/";
  f.store->update_server("EX01", set, "alice");

  em::server_changes clear;
  clear.blocked = std::vector<std::string>{};
  clear.internet_web_proxy = "";
  f.store->update_server("EX01", clear, "bob");
  CHECK(f.ex01().blocked.empty());
  CHECK(f.ex01().internet_web_proxy.empty());

  const auto log = f.store->audit_log();
  REQUIRE(log.size() == 4);
  CHECK(log[2].setting == "MitigationsBlocked");
  CHECK(log[2].old_value == "{M1, PING1.1}");
  CHECK(log[2].new_value == "{}");
  CHECK(log[3].setting == "InternetWebProxy");
  CHECK(log[3].old_value == "https://[::1]:3128/");
  CHECK(log[3].new_value == "");
}

TEMPLATE_TEST_CASE("a malformed blocked ID changes nothing at all", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  em::server_changes c;
  c.mitigations_enabled = false;
  c.data_collection_enabled = true;
  c.blocked = std::vector<std::string>{"M1", "M1.x"};
  try {
    f.store->update_server("EX01", c, "alice");
    FAIL("accepted a malformed ID");
  } catch (const em::invalid_input& e) {
    CHECK(std::string(e.what()) == "malformed mitigation ID 'M1.x' in MitigationsBlocked");
  }
  for (const char* bad : {"", "M1.0", "M 1", "M1.", ".1", "M1.2.3"}) {
    INFO(bad);
    c.blocked = std::vector<std::string>{bad};
    CHECK_THROWS_AS(f.store->update_server("EX01", c, "alice"), em::invalid_input);
  }
  const auto r = f.ex01();
  CHECK(r.mitigations_enabled);
  CHECK_FALSE(r.data_collection_enabled);
  CHECK(r.blocked.empty());
  CHECK(f.store->audit_log().empty());
}

TEMPLATE_TEST_CASE("a bad proxy URL changes nothing", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  for (const char* bad :
       {"proxy:8080", "ftp://proxy", "http://", "http://:8080", "http://proxy:0",
        "http://proxy:99999", "http://user:pw@proxy", "http://proxy/path", "http://pro xy"}) {
    INFO(bad);
    em::server_changes c;
    c.mitigations_enabled = false;
    c.internet_web_proxy = bad;
    CHECK_THROWS_AS(f.store->update_server("EX01", c, "alice"), em::invalid_input);
  }
  CHECK(f.ex01().mitigations_enabled);
  CHECK(f.store->audit_log().empty());
}

TEMPLATE_TEST_CASE("updating an unknown server is refused", "[store]", EM_STORE_BACKENDS) {
  fixture<TestType> f;
  EM_REQUIRE_BACKEND(f.backend);
  em::server_changes c;
  c.mitigations_enabled = false;
  try {
    f.store->update_server("EX02", c, "alice");
    FAIL("updated an unknown server");
  } catch (const em::invalid_input& e) {
    CHECK(std::string(e.what()) == "unknown server 'EX02'");
  }
  CHECK(f.store->audit_log().empty());
}
