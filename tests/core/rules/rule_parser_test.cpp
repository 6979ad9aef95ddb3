// The rule model: what a UrlRewrite Value must look like, and every rule the
// evaluator and the nginx plugin refuse, each with its reason.

#include <catch2/catch.hpp>

#include "core/rules/rule_parser.hpp"
#include "core/util/error.hpp"
#include "tests/support/m1_rule.hpp"

using em::rules::action_type;
using em::rules::input_kind;
using em::rules::parse_url_rewrite_rule;

namespace {

const std::string m1 = em::test::m1_rule_xml;

std::string rule_with(const std::string& inside, const std::string& attributes = "") {
  return R"~(<rule name="r")~" + attributes + ">" + inside + "</rule>";
}

std::string reason(const std::string& xml) {
  try {
    parse_url_rewrite_rule(xml);
  } catch (const em::invalid_input& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("the real M1 rule parses with IIS's defaults") {
  auto r = parse_url_rewrite_rule("\n  " + m1 + "\n");
  CHECK(r.name == "EEMS M1.1 PowerShell - inbound");
  CHECK(r.enabled);
  CHECK(r.stop_processing);
  CHECK(r.match->text() == ".*");
  CHECK(r.match->ignore_case());
  CHECK_FALSE(r.match_negate);
  REQUIRE(r.conditions.size() == 1);
  CHECK(r.conditions[0].input.kind() == input_kind::decoded_request_uri);
  CHECK(r.conditions[0].compiled->text() == "(?=.*autodiscover)(?=.*powershell)");
  CHECK(r.conditions[0].compiled->ignore_case());
  CHECK(r.grouping == em::rules::logical_grouping::match_all);
  CHECK(r.action.type == action_type::abort_request);
  CHECK(r.action.blocks());
}

TEST_CASE("attributes are read as IIS spells them") {
  auto r = parse_url_rewrite_rule(rule_with(
      R"~(<match url="^owa/" ignoreCase="FALSE" negate="True"/>)~"
      R"~(<conditions logicalGrouping="MatchAny" trackAllCaptures="false">)~"
      R"~(<add input="{HTTP_X_FORWARDED_FOR}" pattern="^10\." negate="true" ignoreCase="false"/>)~"
      R"~(<clear/><add input="{https}" pattern="off"/><add input="{HTTP_HOST}" matchType="Pattern"/>)~"
      R"~(</conditions><action type="CustomResponse" statusCode="403" subStatusCode="4" )~"
      R"~(statusReason="Forbidden" statusDescription="Blocked by EM Service"/>)~",
      R"~( enabled="false" patternSyntax="ECMAScript")~"));
  CHECK_FALSE(r.enabled);
  CHECK_FALSE(r.match->ignore_case());
  CHECK(r.match_negate);
  CHECK(r.grouping == em::rules::logical_grouping::match_any);
  REQUIRE(r.conditions.size() == 2);  // <clear/> dropped the first
  CHECK(r.conditions[0].input.kind() == input_kind::https);
  CHECK(r.conditions[1].input.kind() == input_kind::http_host);
  CHECK(r.conditions[1].compiled->text().empty());
  CHECK(r.action.status_code == 403);
  CHECK(r.action.describe() == "CustomResponse 403.4 Forbidden: Blocked by EM Service");

  auto redirect = parse_url_rewrite_rule(
      rule_with(R"~(<match url="x"/><action type="Redirect" url="https://a.example/b" )~"
                R"~(redirectType="Found" appendQueryString="false"/>)~"));
  CHECK(redirect.action.type == action_type::redirect);
  CHECK(redirect.action.status_code == 302);
  CHECK_FALSE(redirect.action.append_query_string);
  CHECK(redirect.action.blocks());

  auto none = parse_url_rewrite_rule(rule_with(R"~(<match url="x"/>)~"));
  CHECK(none.action.type == action_type::none);
  CHECK_FALSE(none.action.blocks());
  CHECK_FALSE(none.ends_processing());

  auto ok = parse_url_rewrite_rule(
      rule_with(R"~(<match url="x"/><action type="CustomResponse" statusCode="200"/>)~"));
  CHECK_FALSE(ok.action.blocks());
}

TEST_CASE("every input of SPEC 13 is accepted, in any case") {
  for (auto [input, kind] : {std::pair{"{REQUEST_URI}", input_kind::request_uri},
                             {"{urldecode:{request_uri}}", input_kind::decoded_request_uri},
                             {"{QUERY_STRING}", input_kind::query_string},
                             {"{HTTP_HOST}", input_kind::http_host},
                             {"{HTTP_COOKIE}", input_kind::http_header},
                             {"{REQUEST_METHOD}", input_kind::request_method},
                             {"{HTTPS}", input_kind::https}}) {
    auto r =
        parse_url_rewrite_rule(rule_with(R"~(<match url=".*"/><conditions><add input=")~" +
                                         std::string(input) + R"~(" pattern="x"/></conditions>)~"));
    CHECK(r.conditions.at(0).input.kind() == kind);
  }
}

TEST_CASE("rules enforced differently from IIS are refused with the reason") {
  CHECK(reason(rule_with(R"~(<match url="x"/><action type="Rewrite" url="/y"/>)~")) ==
        "<action type=\"Rewrite\"> is not supported: it changes what the backend serves; only "
        "None, AbortRequest, CustomResponse and Redirect are enforced");
  CHECK_THAT(reason(rule_with(R"~(<match url="x"/>)~", R"~( patternSyntax="Wildcard")~")),
             Catch::Contains("patternSyntax 'Wildcard' is not supported"));
  CHECK_THAT(reason(rule_with(
                 R"~(<match url="x"/><conditions><add input="{URL}" pattern="x"/></conditions>)~")),
             Catch::StartsWith("<add> input '{URL}' is not supported"));
  CHECK_THAT(reason(rule_with(R"~(<match url="x"/><conditions>)~"
                              R"~(<add input="{REQUEST_FILENAME}" matchType="IsFile"/>)~"
                              R"~(</conditions>)~")),
             Catch::Contains("matchType 'IsFile' is not supported"));
  CHECK_THAT(reason(rule_with(R"~(<match url="x"/><serverVariables><set name="A" value="b"/>)~"
                              R"~(</serverVariables>)~")),
             Catch::Contains("<serverVariables> is not supported"));
  CHECK_THAT(reason(rule_with(R"~(<match url="(.*)"/><action type="Redirect" url="/{R:1}"/>)~")),
             Catch::Contains("back-references and server variables"));
}

TEST_CASE("rules that break the URL Rewrite schema are refused with the reason") {
  CHECK(reason("") == "a UrlRewrite Value must be exactly one IIS URL Rewrite <rule> element");
  CHECK(reason(m1 + m1) == "a UrlRewrite Value must be exactly one IIS URL Rewrite <rule> element");
  CHECK(reason("text " + m1) ==
        "a UrlRewrite Value must be exactly one IIS URL Rewrite <rule> element");
  CHECK_THAT(reason("<rule name='r'><match url='x'></rule>"),
             Catch::StartsWith("the UrlRewrite Value is not well-formed XML"));
  CHECK(reason(R"~(<rule><match url="x"/></rule>)~") == "<rule> needs attribute name");
  CHECK(reason(R"~(<rule name=" "><match url="x"/></rule>)~") == "<rule> name must not be empty");
  CHECK(reason(rule_with("")) == "<rule> needs a <match url=\"…\"> element");
  CHECK(reason(rule_with(R"~(<match url="x" url="y"/>)~")) == "<match> has attribute 'url' twice");
  CHECK(reason(rule_with(R"~(<match url="x" color="red"/>)~")) ==
        "<match> has unknown attribute 'color'");
  CHECK(reason(rule_with(R"~(<match url="x"/><match url="y"/>)~")) ==
        "<rule> has more than one <match>");
  CHECK(reason(rule_with(R"~(<match url="x"/><extra/>)~")) ==
        "<rule> has unexpected element <extra>");
  CHECK(reason(rule_with(R"~(<match url="x">text</match>)~")) == "<match> must not contain text");
  CHECK(reason(rule_with(R"~(<match url="x" negate="yes"/>)~")) ==
        "<match> negate 'yes' is not true or false");
  CHECK(reason(rule_with(R"~(<match url="x"/><conditions logicalGrouping="Some"/>)~")) ==
        "<conditions> logicalGrouping 'Some' is not one of MatchAll, MatchAny");
  CHECK(reason(rule_with(R"~(<match url="x"/><action type="CustomResponse"/>)~")) ==
        "<action type=\"CustomResponse\"> needs a statusCode");
  CHECK(
      reason(rule_with(R"~(<match url="x"/><action type="CustomResponse" statusCode="100"/>)~")) ==
      "<action> statusCode '100' is not a number from 200 to 599");
  CHECK(reason(rule_with(R"~(<match url="x"/><action type="Redirect"/>)~")) ==
        "<action type=\"Redirect\"> needs a url");
  CHECK(reason(rule_with(R"~(<match url="x"/><action type="Drop"/>)~")) ==
        "<action> type 'Drop' is not one of None, Rewrite, Redirect, CustomResponse, "
        "AbortRequest");
  CHECK(reason(rule_with(R"~(<match url="x&#10;y"/>)~")) ==
        "<match> url 'x y' holds a control character");
  CHECK_THAT(reason(rule_with(R"~(<match url="(x"/>)~")),
             Catch::StartsWith("<match> url: pattern '(x' does not compile: missing closing "
                               "parenthesis at offset 2"));
  CHECK_THAT(reason(rule_with(R"~(<match url="\u0041"/>)~")),
             Catch::Contains("does not compile"));  // an ECMAScript escape PCRE2 reads differently
  CHECK_THAT(reason(rule_with(R"~(<match url="(*UTF)x"/>)~")), Catch::Contains("does not compile"));
  CHECK(reason(rule_with(R"~(<match url="x"/>)~", R"~( name="r" )~")) ==
        "<rule> has attribute 'name' twice");
  CHECK_THAT(reason("<!DOCTYPE rule [<!ENTITY e 'x'>]>" + m1), Catch::Contains("DOCTYPE"));
  CHECK_THAT(reason(rule_with(R"~(<match url=")~" + std::string(5000, 'a') + R"~("/>)~")),
             Catch::Contains("longer than 4096 bytes"));
  CHECK(reason(rule_with(R"~(<match url=" "/>)~")) == "<match> url must not be empty");
  // What the rewrite plugin's XML parser (libxml2) refuses is refused here too.
  CHECK(reason(rule_with(R"~(<match url="&nbsp;"/>)~")) ==
        "the UrlRewrite Value is not well-formed XML: '&nbsp' is not an XML entity reference");
  CHECK(reason(rule_with("<match url=\"caf\xe9\"/>")) ==
        "the UrlRewrite Value is not well-formed XML: it is not UTF-8");
  CHECK(reason(rule_with("<match url=\"\xed\xa0\x80\"/>")) ==
        "the UrlRewrite Value is not well-formed XML: it is not UTF-8");
  CHECK(reason(rule_with(R"~(<!-- a & b --><match url="caf&#xE9;&amp;&#10;x"/>)~")) ==
        "<match> url 'café& x' holds a control character");
  CHECK(reason(rule_with("<!-- R&D's rule --><match url=\"caf\xc3\xa9\"/>")) == "accepted");
  CHECK(reason(rule_with(R"~(<match url="^owa/(?<rest>.*)$"/>)~")) ==
        "the UrlRewrite Value is not well-formed XML: '<' in an attribute value (write &lt;)");
  CHECK(reason(rule_with(R"~(<match url="^owa/(?&lt;rest&gt;.*)$" ignoreCase='true'/>)~")) ==
        "accepted");
  std::string many;
  for (int i = 0; i < 33; ++i)
    many += R"~(<add input="{HTTPS}" pattern="on"/>)~";
  CHECK(reason(rule_with(R"~(<match url="x"/><conditions>)~" + many + "</conditions>")) ==
        "<conditions> has more than 32 <add> elements");
}
