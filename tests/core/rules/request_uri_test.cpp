// The strings rules see, computed as nginx computes them ($uri, $args) and
// IIS's UrlDecode (applied until stable): checked against what Debian's
// nginx 1.22 answered for the same request lines.

#include <catch2/catch.hpp>

#include "core/rules/http_request.hpp"
#include "core/rules/request_uri.hpp"
#include "core/util/error.hpp"

using em::rules::normalized_path;
using em::rules::query_string;
using em::rules::url_decode;

TEST_CASE("the path is decoded once, dot segments resolved and slashes merged, as nginx's $uri") {
  CHECK(normalized_path("/autodiscover/autodiscover.json") == "/autodiscover/autodiscover.json");
  CHECK(normalized_path("/a//b/./c/%2e%2e/d%2Fe?x") == "/a/b/d/e");
  CHECK(normalized_path("//autodiscover/./autodiscover.json?@x/PowerShell") ==
        "/autodiscover/autodiscover.json");
  CHECK(normalized_path("/%50owerShell/") == "/PowerShell/");
  CHECK(normalized_path("/%2570owershell") == "/%70owershell");  // once, like nginx
  CHECK(normalized_path("/a/b/..") == "/a/");
  CHECK(normalized_path("/a/b/.") == "/a/b/");
  CHECK(normalized_path("/a/.b") == "/a/.b");
  CHECK(normalized_path("/a/..b/c") == "/a/..b/c");
  CHECK(normalized_path("/a/%2e%2E/b") == "/b");
  CHECK(normalized_path("/a/.?x") == "/a/");
  CHECK(normalized_path("/a#frag?x") == "/a");
  CHECK(normalized_path("/a%3Fb?c") == "/a?b");  // a decoded '?' is text
  CHECK(normalized_path("/a%23b") == "/a#b");
  CHECK(normalized_path("/a%25b") == "/a%b");
  CHECK(normalized_path("/a+b%20c") == "/a+b c");
  CHECK(normalized_path("/") == "/");
}

TEST_CASE("paths nginx answers 400 are refused with the reason") {
  CHECK_THROWS_WITH(normalized_path("/.."), Catch::Contains("climbs above the root"));
  CHECK_THROWS_WITH(normalized_path("/a/../../b"), Catch::Contains("climbs above the root"));
  CHECK_THROWS_WITH(normalized_path("/%zz"), Catch::Contains("not followed by two hex digits"));
  CHECK_THROWS_WITH(normalized_path("/a%2"), Catch::Contains("ends inside a %XX escape"));
  CHECK_THROWS_WITH(normalized_path("/a%00b"), Catch::Contains("holds %00"));
  CHECK_THROWS_AS(normalized_path("no-slash"), em::invalid_input);
}

TEST_CASE("the query string is what follows the first literal '?' up to a '#'") {
  CHECK(query_string("/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x") ==
        "@evil.com/PowerShell/?X-Rps-CAT=x");
  CHECK(query_string("/a") == "");
  CHECK(query_string("/a?") == "");
  CHECK(query_string("/a%3Fb") == "");
  CHECK(query_string("/a?b#c?d") == "b");
  CHECK(query_string("/a#b?c") == "");
}

TEST_CASE("UrlDecode decodes until nothing changes, so double encoding cannot hide a word") {
  CHECK(url_decode("/autodiscover/autodiscover.json?@x/%50owershell") ==
        "/autodiscover/autodiscover.json?@x/Powershell");
  CHECK(url_decode("/x?%2570owershell") == "/x?powershell");
  CHECK(url_decode("%252570") == "p");
  CHECK(url_decode("100%") == "100%");
  CHECK(url_decode("%zz%4") == "%zz%4");
  CHECK(url_decode("a+b") == "a+b");  // '+' is not a space in a URI
  CHECK(url_decode("%ff%00") == std::string("\xff\0", 2));
  // Eight rounds at most, each taking one layer off: the work is bounded.
  auto layered = [](int layers) {
    std::string s = "%";
    for (int i = 0; i < layers; ++i)
      s += "25";
    return s + "70";
  };
  CHECK(url_decode(layered(7)) == "p");
  CHECK(url_decode(layered(8)) == "%70");
}

TEST_CASE("a request is built from a URL as an administrator types it") {
  auto r = em::rules::http_request::from_url(
      "https://mail.contoso.com/autodiscover/autodiscover.json?@x/PowerShell", "GET", {});
  CHECK(r.https());
  CHECK(r.request_uri() == "/autodiscover/autodiscover.json?@x/PowerShell");
  CHECK(r.path() == "/autodiscover/autodiscover.json");
  CHECK(r.query_string() == "@x/PowerShell");
  CHECK(r.header("HOST") == "mail.contoso.com");

  auto bare = em::rules::http_request::from_url("http://EX01:8080?x#frag", "POST",
                                                {{"Host", "other"},
                                                 {"X-Forwarded-For", "1"},
                                                 {"x-forwarded-for", "2"},
                                                 {"Cookie", "a=1"},
                                                 {"Cookie", "b=2"},
                                                 {"User-Agent", "one"},
                                                 {"User-Agent", "two"},
                                                 {"X_Under", "dropped"}});
  CHECK_FALSE(bare.https());
  CHECK(bare.request_uri() == "/?x");
  CHECK(bare.header("host") == "other");
  CHECK(bare.header("X_FORWARDED_FOR") == "1, 2");
  CHECK(bare.header("cookie") == "a=1; b=2");
  CHECK(bare.header("USER_AGENT") == "one");
  CHECK(bare.header("X_UNDER") == "");
  CHECK(bare.method() == "POST");

  using em::rules::http_request;
  CHECK_THROWS_WITH(http_request::from_url("mail.contoso.com/owa", "GET", {}),
                    Catch::Contains("is not a URL"));
  CHECK_THROWS_WITH(http_request::from_url("ftp://x/", "GET", {}), Catch::Contains("scheme 'ftp'"));
  CHECK_THROWS_WITH(http_request::from_url("https://x/a b", "GET", {}),
                    Catch::Contains("space or control character"));
  CHECK_THROWS_WITH(http_request::from_url("https://x/", "get", {}),
                    Catch::Contains("may hold only A-Z"));
  CHECK_THROWS_WITH(http_request::from_url("https://x/", "GET", {{"Host", "a"}, {"host", "b"}}),
                    Catch::Contains("two Host headers"));
  CHECK_THROWS_WITH(http_request::from_url("https://x/", "GET", {{"Bad Name", "a"}}),
                    Catch::Contains("not an HTTP token"));
  CHECK_THROWS_WITH(http_request::from_url("https://x/" + std::string(9000, 'a'), "GET", {}),
                    Catch::Contains("more than 8192"));
}
