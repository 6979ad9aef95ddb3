// The nginx configuration a rule becomes (plugins/nginx/README.md explains
// the scheme); the tests against a real nginx show that it means the same.

#include <catch2/catch.hpp>

#include "core/rules/rule_parser.hpp"
#include "plugins/nginx/nginx_translation.hpp"
#include "tests/support/m1_rule.hpp"

using em::rules::parse_url_rewrite_rule;
using em::rules::rule_target;
using emnginx::nginx_translation;

namespace {

std::string translated(const std::string& rule,
                       const rule_target& target = {"Default Web Site", {}, false}) {
  return nginx_translation::rule_text(parse_url_rewrite_rule(rule), target, "M1.1");
}

}  // namespace

TEST_CASE("M1 becomes a match, one condition through njs's UrlDecode, and a 444") {
  const std::string m1 = em::test::m1_rule_xml;
  CHECK(translated(m1) ==
        "# EM Service mitigation M1.1: IIS URL Rewrite rule \"EEMS M1.1 PowerShell - inbound\" "
        "for Default Web Site.\n"
        "# Written by emsd's nginx plugin; `emctl rollback M1.1` removes it. Do not edit.\n"
        "set $emservice_hits $emservice_stop;\n"
        "if ($emservice_url ~* \".*\") { set $emservice_hits \"${emservice_hits}m\"; }\n"
        "if ($emservice_decoded_request_uri ~* \"(?=.*autodiscover)(?=.*powershell)\") { set "
        "$emservice_hits \"${emservice_hits}1;\"; }\n"
        "if ($emservice_hits = \"m1;\") { return 444; }\n");
}

TEST_CASE("negate, case, grouping, inputs and actions have their nginx forms") {
  const auto text = translated(
      "<rule name=\"r\"><match url=\"^OWA/\" ignoreCase=\"false\" negate=\"true\"/>"
      "<conditions logicalGrouping=\"MatchAny\">"
      "<add input=\"{HTTP_X_FORWARDED_FOR}\" pattern=\"a\\&quot;b\\\\\" negate=\"true\"/>"
      "<add input=\"{QUERY_STRING}\" pattern=\"x\"/><add input=\"{HTTPS}\" pattern=\"off\"/>"
      "<add input=\"{REQUEST_METHOD}\" pattern=\"POST\"/><add input=\"{HTTP_HOST}\" pattern=\"h\"/>"
      "<add input=\"{REQUEST_URI}\" pattern=\"u\"/></conditions>"
      "<action type=\"Redirect\" url=\"https://x.example/a$b\" "
      "redirectType=\"Temporary\"/></rule>");
  CHECK_THAT(text, Catch::Contains("if ($emservice_url !~ \"^OWA/\")"));
  CHECK_THAT(text, Catch::Contains("if ($http_x_forwarded_for !~* \"a\\\\\\\"b\\\\\\\\\")"));
  CHECK_THAT(text, Catch::Contains(
                       "if ($args ~* \"x\") { set $emservice_hits \"${emservice_hits}2;\"; }"));
  CHECK_THAT(text, Catch::Contains("if ($emservice_https ~* \"off\")"));
  CHECK_THAT(text, Catch::Contains("if ($request_method ~* \"POST\")"));
  CHECK_THAT(text, Catch::Contains("if ($http_host ~* \"h\")"));
  CHECK_THAT(text, Catch::Contains("if ($request_uri ~* \"u\")"));
  CHECK_THAT(text, Catch::Contains("if ($emservice_hits ~ \"^m[0-9]\") { return 307 "
                                   "\"https://x.example/a${emservice_dollar}b$is_args$args\"; }"));
}

TEST_CASE("a VDir rule matches relative to its virtual directory, None only stops processing") {
  const auto vdir = translated(
      "<rule name=\"v\"><match url=\"^auth\"/><action type=\"CustomResponse\" "
      "statusCode=\"403\" statusDescription=\"no\"/></rule>",
      {"Default Web Site", "owa", false});
  CHECK_THAT(vdir, Catch::Contains("set $emservice_hits \"x\";"));
  CHECK_THAT(vdir,
             Catch::Contains("if ($uri ~* \"(?s)^/owa(?:/(.*))?\\\\z\") { set $emservice_hits "
                             "$emservice_stop; set $emservice_vurl $1; }"));
  CHECK_THAT(vdir, Catch::Contains("if ($emservice_vurl ~* \"^auth\")"));
  CHECK_THAT(vdir, Catch::Contains("if ($emservice_hits = \"m\") { return 403 \"no\"; }"));

  CHECK_THAT(translated("<rule name=\"n\" stopProcessing=\"true\"><match url=\"x\"/></rule>"),
             Catch::Contains("{ set $emservice_stop \"s\"; }"));
  CHECK_THAT(translated("<rule name=\"n\"><match url=\"x\"/></rule>"),
             Catch::EndsWith("# Action None without stopProcessing: a match changes nothing.\n"));
  CHECK_THAT(translated("<rule name=\"d\" enabled=\"false\"><match url=\"x\"/></rule>"),
             Catch::EndsWith("nothing to do.\n"));
}

TEST_CASE("each folder imports the script under its own name") {
  const auto a = nginx_translation::common_text("/etc/nginx/emservice/a");
  const auto b = nginx_translation::common_text("/etc/nginx/emservice/b");
  CHECK_THAT(a, Catch::Contains("from /etc/nginx/emservice/a/emservice.js;"));
  CHECK(a.substr(a.find("js_import"), 30) != b.substr(b.find("js_import"), 30));
  CHECK_THAT(nginx_translation::script_text(), Catch::Contains("String.bytesFrom(bytes)"));
}
