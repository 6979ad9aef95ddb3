// IIS URL Rewrite's evaluation of a rule against a request: the real M1 rule
// on the ProxyNotShell shapes and on ordinary Exchange traffic, and each
// part of the semantics (negate, grouping, inputs, virtual directories).

#include <catch2/catch.hpp>

#include "core/rules/rule_evaluator.hpp"
#include "core/rules/rule_parser.hpp"
#include "tests/support/m1_rule.hpp"

using em::rules::http_request;
using em::rules::parse_url_rewrite_rule;
using em::rules::rule_evaluator;

namespace {

const std::string m1 = em::test::m1_rule_xml;

bool matches(const std::string& rule_xml, const http_request& r, std::string_view vdir = {}) {
  auto rule = parse_url_rewrite_rule(rule_xml);
  auto out = rule_evaluator(r).evaluate(rule, vdir);
  INFO(out.error);
  REQUIRE_FALSE(out.failed());
  return out.matched;
}

http_request get(const std::string& target, std::vector<em::rules::header_field> headers = {},
                 bool https = true, const std::string& method = "GET") {
  headers.insert(headers.begin(), {"Host", "mail.contoso.com"});
  return http_request::from_target(target, https, method, std::move(headers));
}

std::string rule(const std::string& match, const std::string& conditions = "",
                 const std::string& grouping = "") {
  return R"~(<rule name="t"><match url=")~" + match + R"~("/><conditions)~" + grouping + ">" +
         conditions + R"~(</conditions><action type="AbortRequest"/></rule>)~";
}

}  // namespace

TEST_CASE("M1 blocks every ProxyNotShell shape") {
  for (const char* target : {
           "/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x",
           "/autodiscover/autodiscover.json?@evil.com/%50owershell/?X-Rps-CAT=x",
           "/autodiscover/autodiscover.json?@evil.com/%2570owershell/?X-Rps-CAT=x",
           "/AutoDiscover/AutoDiscover.json?@evil.com/POWERSHELL/",
           "//autodiscover/./autodiscover.json?@evil.com/PowerShell/",
           "/autodiscover/autodiscover.json?@evil.com/Power%73hell",
           "/%61utodiscover/autodiscover.json?Email=autodiscover/autodiscover.json%3F@evil.com/"
           "powershell",
           "/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com/powershell",
       }) {
    INFO(target);
    CHECK(matches(m1, get(target)));
  }
}

TEST_CASE("M1 lets ordinary Exchange traffic through") {
  for (const char* target :
       {"/owa/", "/ecp/", "/autodiscover/autodiscover.xml", "/mapi/emsmdb", "/EWS/Exchange.asmx",
        "/powershell/", "/owa/?autodiscover=1", "/Microsoft-Server-ActiveSync?Cmd=Sync"}) {
    INFO(target);
    CHECK_FALSE(matches(m1, get(target)));
  }
}

TEST_CASE("match url sees the normalised path without its leading '/' and without the query") {
  CHECK(matches(rule("^owa/auth$"), get("/owa/auth?x=1")));
  CHECK(matches(rule("^owa/auth$"), get("//owa/./x/../auth")));
  CHECK(matches(rule("^$"), get("/?q")));
  CHECK_FALSE(matches(rule("q"), get("/?q")));
  CHECK(matches(rule("^OWA/"), get("/owa/")));
  CHECK_FALSE(
      matches(R"~(<rule name="t"><match url="^OWA/" ignoreCase="false"/></rule>)~", get("/owa/")));
  CHECK(matches(R"~(<rule name="t"><match url="^ecp/" negate="true"/></rule>)~", get("/owa/")));
  CHECK_FALSE(
      matches(R"~(<rule name="t" enabled="false"><match url=".*"/></rule>)~", get("/owa/")));
}

TEST_CASE("conditions read each input as IIS names it") {
  auto cond = [](const std::string& input, const std::string& pattern,
                 const std::string& extra = "") {
    return rule(".*",
                R"~(<add input=")~" + input + R"~(" pattern=")~" + pattern + "\"" + extra + "/>");
  };
  CHECK(matches(cond("{REQUEST_URI}", "^/a%50\\?x=1$"), get("/a%50?x=1")));
  CHECK(matches(cond("{UrlDecode:{REQUEST_URI}}", "^/aP\\?x=1$"), get("/a%50?x=1")));
  CHECK(matches(cond("{QUERY_STRING}", "^x=1$"), get("/a?x=1")));
  CHECK(matches(cond("{HTTP_HOST}", "^mail\\.contoso\\.com$"), get("/")));
  CHECK(matches(cond("{HTTP_X_REQUESTED_WITH}", "^XMLHttp"),
                get("/", {{"X-Requested-With", "XMLHttpRequest"}})));
  CHECK(matches(cond("{HTTP_COOKIE}", "X-BEResource"), get("/", {{"Cookie", "X-BEResource=a"}})));
  CHECK(matches(cond("{REQUEST_METHOD}", "^POST$"), get("/", {}, true, "POST")));
  CHECK(matches(cond("{HTTPS}", "^on$"), get("/")));
  CHECK(matches(cond("{HTTPS}", "^off$"), get("/", {}, false)));
  CHECK(matches(cond("{HTTP_MISSING}", "^$"), get("/")));
  CHECK(matches(cond("{HTTPS}", "^on$", " negate=\"true\""), get("/", {}, false)));
}

TEST_CASE("logicalGrouping MatchAll needs every condition, MatchAny one") {
  const std::string both = R"~(<add input="{HTTPS}" pattern="on"/>)~"
                           R"~(<add input="{REQUEST_METHOD}" pattern="^POST$"/>)~";
  CHECK_FALSE(matches(rule(".*", both), get("/")));
  CHECK(matches(rule(".*", both), get("/", {}, true, "POST")));
  CHECK(matches(rule(".*", both, R"~( logicalGrouping="MatchAny")~"), get("/")));
  CHECK_FALSE(matches(rule(".*", both, R"~( logicalGrouping="MatchAny")~"), get("/", {}, false)));
  CHECK_FALSE(matches(rule("^ecp/", both, R"~( logicalGrouping="MatchAny")~"), get("/owa/")));
}

TEST_CASE("a VDir rule sees only requests under its virtual directory, relative to it") {
  CHECK(matches(rule("^auth/logon"), get("/owa/auth/logon.aspx"), "owa"));
  CHECK(matches(rule("^auth/logon"), get("/OWA/auth/logon.aspx"), "owa"));
  CHECK(matches(rule("^$"), get("/owa"), "owa"));
  CHECK_FALSE(matches(rule(".*"), get("/owax/auth"), "owa"));
  CHECK_FALSE(matches(rule(".*"), get("/ecp/"), "owa"));
}

TEST_CASE("a pattern that reaches its limit is reported, not taken for an answer") {
  auto r = parse_url_rewrite_rule(rule("^(a+)+$"));
  auto out = rule_evaluator(get("/" + std::string(40, 'a') + "b")).evaluate(r);
  CHECK(out.failed());
  CHECK_THAT(out.error, Catch::StartsWith("rule 't': <match url>: pattern '^(a+)+$' exceeded"));
}
