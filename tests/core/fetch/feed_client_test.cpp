#include <catch2/catch.hpp>

#include "core/fetch/feed_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em;

namespace {

// Answers as told and remembers what it was asked.
struct fake_network {
  std::vector<http_request> requests;
  std::vector<http_options> options;
  http_response answer{200, "OK", "\"v1\"", "application/xml", {}, "<EOCS/>", {}};

  http_transport transport() {
    return [this](const http_request& r, const http_options& o) {
      requests.push_back(r);
      options.push_back(o);
      auto res = answer;
      res.url = r.url;
      return res;
    };
  }
};

const std::string url = "https://feed.example/getexchangemitigations";

}  // namespace

TEST_CASE("the [feed] section sets the limits, the CA and the server's proxy") {
  feed_section feed;
  feed.ca_file = "/etc/emservice/feed-ca.pem";
  feed.timeout = std::chrono::seconds(7);
  feed.connect_timeout = std::chrono::seconds(2);
  feed.handshake_timeout = std::chrono::seconds(3);
  feed.max_size = 1000;
  feed.max_header_size = 2000;
  feed.max_redirects = 1;
  auto o = feed_http_options(feed, "http://proxy.example:3128");
  CHECK(o.limits.total_timeout == std::chrono::seconds(7));
  CHECK(o.limits.connect_timeout == std::chrono::seconds(2));
  CHECK(o.limits.handshake_timeout == std::chrono::seconds(3));
  CHECK(o.limits.max_body_size == 1000);
  CHECK(o.limits.max_header_size == 2000);
  CHECK(o.limits.max_redirects == 1);
  CHECK(o.ca_file == std::filesystem::path("/etc/emservice/feed-ca.pem"));
  CHECK(o.proxy == "http://proxy.example:3128");
  CHECK_FALSE(o.allow_plain_http);
}

TEST_CASE("a 200 gives the document and its ETag") {
  fake_network net;
  auto res = fetch_feed(url, {}, {}, net.transport());
  CHECK_FALSE(res.not_modified);
  CHECK(res.bytes == "<EOCS/>");
  CHECK(res.etag == "\"v1\"");
  REQUIRE(net.requests.size() == 1);
  CHECK(net.requests[0].method == "GET");
  CHECK(net.requests[0].headers.empty());
}

TEST_CASE("the last ETag goes as If-None-Match and a 304 means not modified") {
  fake_network net;
  net.answer = {304, "Not Modified", "", "", {}, "", {}};
  auto res = fetch_feed(url, "\"v1\"", {}, net.transport());
  CHECK(res.not_modified);
  CHECK(res.etag == "\"v1\"");
  REQUIRE(net.requests.size() == 1);
  REQUIRE(net.requests[0].headers.size() == 1);
  CHECK(net.requests[0].headers[0].first == "If-None-Match");
  CHECK(net.requests[0].headers[0].second == "\"v1\"");
}

TEST_CASE("any other status is an HttpStatus failure naming it") {
  fake_network net;
  net.answer = {404, "Not Found", "", "", {}, "", {}};
  try {
    fetch_feed(url, {}, {}, net.transport());
    FAIL("no exception");
  } catch (const fetch_error& e) {
    CHECK(e.failure() == fetch_failure::http_status);
    CHECK(std::string(e.what()) == "Unexpected HTTP status: 404 Not Found from " + url);
  }
  // A 304 to a request without If-None-Match is not an answer to anything.
  net.answer.status = 304;
  CHECK_THROWS_AS(fetch_feed(url, {}, {}, net.transport()), fetch_error);
}

TEST_CASE("file URLs are read from disk, within the size limit, without the network") {
  test::temp_dir dir;
  test::write_text(dir / "doc.xml", "<EOCS>x</EOCS>");
  fake_network net;
  http_options o;
  o.limits.max_body_size = 100;
  auto res = fetch_feed("file://" + (dir / "doc.xml").string(), "\"old\"", o, net.transport());
  CHECK(res.bytes == "<EOCS>x</EOCS>");
  CHECK_FALSE(res.not_modified);
  CHECK(net.requests.empty());
  o.limits.max_body_size = 3;
  CHECK_THROWS_WITH(fetch_feed("file://" + (dir / "doc.xml").string(), {}, o, net.transport()),
                    Catch::Contains("over the limit of 3"));
}
