#include <catch2/catch.hpp>

#include "core/fetch/parsed_url.hpp"

using em::parsed_url;

TEST_CASE("URLs split into scheme, host, port and target") {
  auto u = parsed_url::parse("HTTPS://Feed.Example.COM/getexchangemitigations?x=1#frag");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "feed.example.com");
  CHECK(u->port == 443);
  CHECK(u->target == "/getexchangemitigations?x=1");
  CHECK_FALSE(u->host_is_ip);
  CHECK(u->authority() == "feed.example.com");
  CHECK(u->host_port() == "feed.example.com:443");

  auto v4 = parsed_url::parse("http://127.0.0.1:8080");
  REQUIRE(v4);
  CHECK(v4->port == 8080);
  CHECK(v4->target == "/");
  CHECK(v4->host_is_ip);
  CHECK(v4->origin() == "http://127.0.0.1:8080");

  auto v6 = parsed_url::parse("https://[::1]:8443/x");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->host_is_ip);
  CHECK(v6->authority() == "[::1]:8443");
  CHECK(v6->host_port() == "[::1]:8443");

  auto query = parsed_url::parse("https://h?q");
  REQUIRE(query);
  CHECK(query->target == "/?q");
}

TEST_CASE("what the client cannot fetch is refused with a reason") {
  auto why_of = [](const std::string& url) {
    std::string why;
    CHECK_FALSE(parsed_url::parse(url, &why));
    return why;
  };
  CHECK(why_of("ftp://h/x") == "unsupported scheme 'ftp'");
  CHECK(why_of("feed.example/x") == "not an http:// or https:// URL");
  CHECK(why_of("https://user:pw@h/x") == "user information in a URL is not supported");
  CHECK(why_of("https:///x") == "no host");
  CHECK(why_of("https://h:0/") == "port 0 is out of range");
  CHECK(why_of("https://h:99999/") == "port 99999 is out of range");
  CHECK(why_of("https://h:123456/") == "bad port '123456'");
  CHECK(why_of("https://h:/") == "empty port");
  CHECK(why_of("https://h x/") == "contains a space or control character");
  CHECK(why_of("https://[zz]/") == "bad IPv6 address");
  CHECK(why_of("https://-h/") == "bad host name '-h'");
}

TEST_CASE("a Location resolves against the URL it came from") {
  auto base = *parsed_url::parse("https://a.example:8443/one");
  auto abs = em::resolve_location(base, "https://b.example/two");
  REQUIRE(abs);
  CHECK(abs->host == "b.example");
  auto rel = em::resolve_location(base, "/three?x#y");
  REQUIRE(rel);
  CHECK(rel->origin() == "https://a.example:8443");
  CHECK(rel->target == "/three?x");
  CHECK_FALSE(em::resolve_location(base, "relative/path"));
  CHECK_FALSE(em::resolve_location(base, "//other.example/x"));
  CHECK_FALSE(em::resolve_location(base, ""));
}
