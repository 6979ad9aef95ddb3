#include <catch2/catch.hpp>

#include "core/util/error.hpp"
#include "tests/core/store/store_backends.hpp"

using namespace std::chrono;

TEMPLATE_TEST_CASE("the last accepted document is kept with its cycle and replaced by the next",
                   "[store]", EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto state = backend.open();
  state->register_server("EX01", "Exchange2019", "15.2.1118.7");
  CHECK_FALSE(state->load_document("EX01"));

  em::cycle_record first;
  first.checked_at = system_clock::now();
  first.document = em::stored_document{"https://feed/x", "\"v1\"", "<EOCS>one</EOCS>", "d1",
                                       system_clock::from_time_t(1795773600)};
  state->record_cycle("EX01", first);
  auto kept = state->load_document("ex01");
  REQUIRE(kept);
  CHECK(kept->source == "https://feed/x");
  CHECK(kept->etag == "\"v1\"");
  CHECK(kept->bytes == "<EOCS>one</EOCS>");
  CHECK(kept->digest == "d1");
  CHECK(kept->fetched_at == system_clock::from_time_t(1795773600));

  em::cycle_record without;  // a cycle that brings no document keeps the old one
  without.checked_at = system_clock::now();
  state->record_cycle("EX01", without);
  CHECK(state->load_document("EX01")->digest == "d1");

  em::cycle_record second = first;
  second.document->bytes = "<EOCS>two</EOCS>";
  second.document->etag.clear();
  state->record_cycle("EX01", second);
  CHECK(state->load_document("EX01")->bytes == "<EOCS>two</EOCS>");
  CHECK(state->load_document("EX01")->etag.empty());
  CHECK_THROWS_AS(state->load_document("EX02"), em::invalid_input);
}

TEMPLATE_TEST_CASE("plugin values are kept per server and plugin, across store objects", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  {
    auto state = backend.open();
    state->register_server("EX01", "Exchange2019", "15.2.1118.7");
    state->register_server("EX02", "Exchange2019", "15.2.1118.7");
    state->set_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart", "true");
    state->set_plugin_value("EX02", "apppool", "MSExchangeECPAppPool.autoStart", "false");
    state->set_plugin_value("EX01", "other", "MSExchangeECPAppPool.autoStart", "x");
    state->set_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart", "True");
  }
  auto state = backend.open();
  CHECK(state->get_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart") == "True");
  CHECK(state->get_plugin_value("EX02", "apppool", "MSExchangeECPAppPool.autoStart") == "false");
  CHECK(state->get_plugin_value("EX01", "other", "MSExchangeECPAppPool.autoStart") == "x");
  CHECK_FALSE(state->get_plugin_value("EX01", "apppool", "missing"));
  state->erase_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart");
  CHECK_FALSE(state->get_plugin_value("EX01", "apppool", "MSExchangeECPAppPool.autoStart"));
  CHECK(state->get_plugin_value("EX02", "apppool", "MSExchangeECPAppPool.autoStart") == "false");
  CHECK_THROWS_AS(state->set_plugin_value("EX09", "apppool", "k", "v"), em::invalid_input);
}

TEMPLATE_TEST_CASE("administrators' actions that are not settings are audited too", "[store]",
                   EM_STORE_BACKENDS) {
  TestType backend;
  EM_REQUIRE_BACKEND(backend);
  auto state = backend.open();
  state->append_audit("alice", "EX01", "Rollback", "M1.1 Applied", "M1.1 rolled back");
  auto log = state->audit_log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].user == "alice");
  CHECK(log[0].target == "EX01");
  CHECK(log[0].setting == "Rollback");
  CHECK(log[0].old_value == "M1.1 Applied");
  CHECK(log[0].new_value == "M1.1 rolled back");
}
