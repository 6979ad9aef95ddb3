// SPEC 13: the rewrite plugin and the nginx plugin validate a rule with the
// same code (core/rules), so they accept and refuse the same rules, for the
// same reason.

#include <catch2/catch.hpp>

#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/m1_rule.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;

TEST_CASE("issue_15_rewrite_and_nginx_accept_and_refuse_the_same_rules") {
  temp_dir folder("emagree");
  plugin_harness rewrite_host(plugins_with("rewrite"), {});
  plugin_harness nginx_host(
      plugins_with("nginx", "conf = \"/etc/nginx/nginx.conf\"\nsites = { \"Default Web Site\" = " +
                                toml_string(folder.path().string()) + " }\n"),
      {});
  auto& rewrite = rewrite_host.applier("UrlRewrite");
  auto& nginx = nginx_host.applier("UrlRewrite");

  const std::string rules[] = {
      m1_rule_xml,
      "<rule name='a'><match url='^owa/(?&lt;rest&gt;.*)$' ignoreCase='false' negate='true'/>"
      "</rule>",
      "<rule name='b' enabled='false' stopProcessing='true'><match url='x'/>"
      "<action type='None'/></rule>",
      "<rule name='c'><match url='.*'/><conditions logicalGrouping='MatchAny' "
      "trackAllCaptures='true'><add input='{HTTP_COOKIE}' pattern='(.*)X-BEResource=(.+)/(.+)~'/>"
      "<add input='{REQUEST_METHOD}' pattern='^POST$' negate='true'/><clear/>"
      "<add input='{HTTPS}' pattern='off'/><add input='{QUERY_STRING}' pattern='a'/>"
      "<add input='{HTTP_HOST}' pattern='h'/><add input='{REQUEST_URI}' pattern='u'/>"
      "</conditions><action type='CustomResponse' statusCode='403' subStatusCode='2' "
      "statusReason='Forbidden' statusDescription='no'/></rule>",
      "<rule name='d'><match url='^exchange/?$'/><action type='Redirect' "
      "url='https://mail.contoso.com/owa/' redirectType='SeeOther'/></rule>",
      // refused by both
      "<rule name='e' patternSyntax='Wildcard'><match url='*.aspx'/></rule>",
      "<rule name='f' patternSyntax='ExactMatch'><match url='x'/></rule>",
      "<rule name='g'><match url='(.*)'/><action type='Rewrite' url='/{R:1}'/></rule>",
      "<rule name='h'><match url='x'/><conditions><add input='{URL}' pattern='x'/>"
      "</conditions></rule>",
      "<rule name='i'><match url='x'/><conditions><add input='{REQUEST_FILENAME}' "
      "matchType='IsDirectory'/></conditions></rule>",
      "<rule name='j'><match url='x'/><serverVariables><set name='X' value='1'/>"
      "</serverVariables></rule>",
      "<rule name='k'><match url='(x'/></rule>",
      "<rule name='l'><match url='\\u0041'/></rule>",
      "<rule name='m'><match url='x'/><action type='Redirect' url='/{R:0}'/></rule>",
      "<rule name='n'><match url='x'/><action type='CustomResponse' statusCode='302'/></rule>",
      "<rule name='o'><match url='x'/><action type='CustomResponse' statusCode='101'/></rule>",
      "<rule name='p'><match url='&nbsp;'/></rule>",
      "<rule name='q'><match url=''/></rule>",
      "<rule name='r'><match url='x' color='red'/></rule>",
      "<rule name='s'><match url='x'/><match url='y'/></rule>",
      "<rule name='t' stopProcessing='maybe'><match url='x'/></rule>",
      "<rule><match url='x'/></rule>",
      "<rule name='u'><match url='x'>",
      "<rule name='v'><match url='^owa/(?<rest>.*)$'/></rule>",
  };
  int accepted = 0;
  for (const auto& rule : rules) {
    INFO(rule);
    const auto action = make_action("M1.1", "UrlRewrite", "Site", "Default Web Site", rule);
    const auto by_rewrite = rewrite.validate(action);
    const auto by_nginx = nginx.validate(action);
    CHECK(by_rewrite.ok == by_nginx.ok);
    if (by_rewrite.ok && by_nginx.ok) ++accepted;
    // The semantic refusals come from the one evaluator, word for word.
    if (by_nginx.message.find("not supported") != std::string::npos ||
        by_nginx.message.find("does not compile") != std::string::npos)
      CHECK(by_rewrite.message == by_nginx.message);
  }
  CHECK(accepted == 5);
}
