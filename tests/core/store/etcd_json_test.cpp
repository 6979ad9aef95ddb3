// The JSON etcd's v3 gateway speaks (protobuf's JSON mapping), both ways.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/store/etcd/etcd_json.hpp"
#include "core/store/etcd/etcd_keys.hpp"
#include "core/util/error.hpp"

using namespace em::etcd;
using json = nlohmann::json;

TEST_CASE("bytes travel as base64, whatever they hold") {
  for (const std::string& bytes :
       {std::string(), std::string("a"), std::string("ab"), std::string("abc"),
        std::string("/emservice/contoso/org"), std::string("\0\xff\x01 ", 4)}) {
    INFO(bytes);
    CHECK(from_base64(to_base64(bytes)) == bytes);
  }
  CHECK(to_base64("foo") == "Zm9v");
  CHECK(from_base64("YmFy") == "bar");
  CHECK_THROWS_AS(from_base64("Zm9"), em::store_error);
  CHECK_THROWS_AS(from_base64("!!!!"), em::store_error);
}

TEST_CASE("a prefix's range end is the next key after all of its keys") {
  CHECK(prefix_end("/emservice/contoso/") == "/emservice/contoso0");
  CHECK(prefix_end("a\xff") == "b");
  CHECK(prefix_end(std::string(1, '\xff')) == std::string(1, '\0'));
}

TEST_CASE("a transaction is written the way the gateway reads it") {
  txn_request t;
  t.compares = {mod_revision_is("k", 42), absent("n")};
  t.success = {put("k", "v", 7), remove("p/", "p0")};
  t.failure = {get("k")};
  const auto j = json::parse(txn_body(t));
  CHECK(j["compare"][0] ==
        json{{"key", "aw=="}, {"target", "MOD"}, {"result", "EQUAL"}, {"mod_revision", "42"}});
  CHECK(j["compare"][1]["target"] == "CREATE");
  CHECK(j["compare"][1]["create_revision"] == "0");
  CHECK(j["success"][0]["request_put"] == json{{"key", "aw=="}, {"value", "dg=="}, {"lease", "7"}});
  CHECK(j["success"][1]["request_delete_range"] == json{{"key", "cC8="}, {"range_end", "cDA="}});
  CHECK(j["failure"][0]["request_range"] == json{{"key", "aw=="}});
}

TEST_CASE("answers are read with int64 as strings and defaults left out") {
  const auto r = parse_txn(R"({"header":{"revision":"9"},"succeeded":true,"responses":[
    {"response_put":{"header":{"revision":"9"}}},
    {"response_range":{"header":{"revision":"9"},"kvs":[{"key":"aw==","create_revision":"3",
      "mod_revision":"9","version":"2","value":"dg=="}],"count":"1"}}]})");
  CHECK(r.succeeded);
  CHECK(r.revision == 9);
  REQUIRE(r.ranges.size() == 1);
  REQUIRE(r.ranges[0].kvs.size() == 1);
  CHECK(r.ranges[0].kvs[0].key == "k");
  CHECK(r.ranges[0].kvs[0].value == "v");
  CHECK(r.ranges[0].kvs[0].mod_revision == 9);
  CHECK(r.ranges[0].kvs[0].create_revision == 3);
  CHECK_FALSE(parse_txn(R"({"header":{"revision":"9"}})").succeeded);
  CHECK(parse_range(R"({"header":{"revision":"4"},"more":true})").more);
  CHECK_THROWS_AS(parse_range("not json"), em::store_error);
  CHECK_THROWS_AS(parse_range(R"({"kvs":[{"key":"aw==","mod_revision":"x"}]})"), em::store_error);
}

TEST_CASE("watch messages: created, events with previous values, compaction, errors") {
  const auto body = watch_body({{"/o/org", {}, 0}, {"/o/settings/ex01", {}, 12}});
  CHECK(body.find(R"({"create_request":)") == 0);
  CHECK(body.find(R"("start_revision":"12")") != std::string::npos);
  CHECK(body.find("}{") != std::string::npos);  // two requests, one stream

  auto created = parse_watch_response(R"({"result":{"header":{"revision":"5"},"created":true}})");
  CHECK(created.created);
  CHECK(created.revision == 5);
  auto ev = parse_watch_response(
      R"({"result":{"header":{"revision":"6"},"watch_id":"1","events":[{"type":"DELETE",
      "kv":{"key":"aw==","mod_revision":"6"},"prev_kv":{"key":"aw==","value":"dg=="}}]}})");
  CHECK(ev.watch_id == 1);
  REQUIRE(ev.events.size() == 1);
  CHECK(ev.events[0].deleted);
  REQUIRE(ev.events[0].previous);
  CHECK(ev.events[0].previous->value == "v");
  auto compacted = parse_watch_response(
      R"({"result":{"canceled":true,"compact_revision":"40","cancel_reason":"compacted"}})");
  CHECK(compacted.canceled);
  CHECK(compacted.compact_revision == 40);
  CHECK_THROWS_WITH(
      parse_watch_response(R"({"error":{"grpc_code":14,"message":"etcdserver: no leader"}})"),
      "etcd ended the watch: etcdserver: no leader");
}

TEST_CASE("an error answer gives its gRPC code and message") {
  auto e = parse_error(
      R"({"error":"etcdserver: permission denied","message":"etcdserver: permission denied","code":7})");
  REQUIRE(e);
  CHECK(e->code == 7);
  CHECK(e->message == "etcdserver: permission denied");
  CHECK_FALSE(
      parse_error("CommonName of client sending a request against gateway will be ignored"));
}

TEST_CASE("server names and plugin keys become key segments that cannot run into others") {
  CHECK(key_layout::server_id("EX01") == "ex01");
  CHECK(key_layout::server_id("ex 01/x") == "ex%2001%2Fx");
  CHECK(key_layout::segment("a/b%c") == "a%2Fb%25c");
  CHECK(key_layout::unsegment(key_layout::segment("a/b%c")) == "a/b%c");
  key_layout keys("/o/");
  CHECK(keys.settings("EX01") == "/o/settings/ex01");
  CHECK(keys.plugin("EX01", "apppool", "Pool/x") == "/o/plugin/ex01/apppool/Pool%2Fx");
}
