// What validate() accepts as a URL Rewrite rule, and how it names what it
// refuses. A refused rule never reaches the file.
#include <catch2/catch.hpp>

#include "tests/plugins/support/iis_fixture.hpp"
#include "tests/plugins/support/plugin_harness.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;

namespace {

emservice::action with_value(const std::string& value) {
  return make_action("M1.1", "UrlRewrite", "Site", "Default Web Site", value);
}

}  // namespace

TEST_CASE("a rule with an invalid pattern is refused before any write") {
  iis_fixture tree;
  plugin_harness plugins(plugins_with("rewrite"), tree.iis());
  auto& rewrite = plugins.applier("UrlRewrite");
  const auto file = tree.site_root_config();
  const std::string original = read_text(file);

  std::string bad = m1_rule();
  const std::string pattern = "(?=.*autodiscover)(?=.*powershell)";
  bad.replace(bad.find(pattern), pattern.size(), "(?=.*autodiscover(?=.*powershell)");
  auto a = with_value(bad);

  auto v = rewrite.validate(a);
  CHECK_FALSE(v.ok);
  CHECK_THAT(v.message,
             Catch::Contains("<add> pattern: pattern '(?=.*autodiscover(?=.*powershell)' "
                             "does not compile"));
  auto applied = rewrite.apply(a);
  CHECK_FALSE(applied.ok);
  CHECK(applied.message == v.message);
  CHECK(read_text(file) == original);
  CHECK(backups_of(file) == 0);
  CHECK(plugins.store().get_plugin_value("EX01", "rewrite", "created M1.1 " + file.string()) ==
        std::nullopt);
}

TEST_CASE("the rule is checked against the URL Rewrite schema") {
  plugin_harness plugins(plugins_with("rewrite"), em::iis_section{});
  auto& rewrite = plugins.applier("UrlRewrite");

  struct sample {
    std::string value, reason;
  };
  for (const auto& s : {
           sample{"", "must be exactly one IIS URL Rewrite <rule> element"},
           sample{"<rule name='a'><match url='x'/></rule><rule name='b'><match url='y'/></rule>",
                  "must be exactly one IIS URL Rewrite <rule> element"},
           sample{"<rules/>", "must be exactly one IIS URL Rewrite <rule> element"},
           sample{"<rule name='a'><match url='x'/>", "is not well-formed XML"},
           sample{"<rule><match url='x'/></rule>", "<rule> needs attribute name"},
           sample{"<rule name='a'/>", "<rule> needs a <match url"},
           sample{"<rule name='a' color='red'><match url='x'/></rule>",
                  "<rule> has unknown attribute 'color'"},
           sample{"<rule name='a' patternSyntax='Perl'><match url='x'/></rule>",
                  "<rule> patternSyntax 'Perl' is not one of ECMAScript, Wildcard, ExactMatch"},
           sample{"<rule name='a' stopProcessing='yes'><match url='x'/></rule>",
                  "<rule> stopProcessing 'yes' is not one of true, false"},
           sample{"<rule name='a'><match url='['/></rule>",
                  "<match> url: pattern '[' does not compile"},
           // What core/rules' evaluator (and the nginx plugin) would not enforce as IIS does.
           sample{"<rule name='w' patternSyntax='Wildcard'><match url='*.aspx'/></rule>",
                  "<rule> patternSyntax 'Wildcard' is not supported"},
           sample{
               "<rule name='r'><match url='(.*)'/><action type='Rewrite' url='/x/{R:1}'/></rule>",
               "<action type=\"Rewrite\"> is not supported"},
           sample{"<rule name='i'><match url='^x'/><conditions>"
                  "<add input='{REQUEST_FILENAME}' matchType='IsFile'/></conditions></rule>",
                  "matchType 'IsFile' is not supported"},
           sample{"<rule name='s'><match url='^x'/><serverVariables>"
                  "<set name='HTTP_X' value='1' replace='false'/></serverVariables></rule>",
                  "<serverVariables> is not supported"},
           sample{"<rule name='a'><match url='x'/><match url='y'/></rule>",
                  "<rule> has more than one <match>"},
           sample{"<rule name='a'><match url='x'/><script/></rule>",
                  "<rule> has unexpected element <script>"},
           sample{"<rule name='a'><match url='x'>text</match></rule>",
                  "<match> must not contain text"},
           sample{"<rule name='a'><match url='x'/><conditions logicalGrouping='Some'/></rule>",
                  "<conditions> logicalGrouping 'Some' is not one of MatchAll, MatchAny"},
           sample{
               "<rule name='a'><match url='x'/><conditions><add pattern='x'/></conditions></rule>",
               "<add> needs attribute input"},
           sample{"<rule name='a'><match url='x'/><action type='Explode'/></rule>",
                  "<action> type 'Explode' is not one of None, Rewrite, Redirect, CustomResponse, "
                  "AbortRequest"},
           sample{"<rule name='a'><match url='x'/><action type='Redirect'/></rule>",
                  "<action type=\"Redirect\"> needs a url"},
           sample{"<rule name='a'><match url='x'/><action type='CustomResponse'/></rule>",
                  "<action type=\"CustomResponse\"> needs a statusCode"},
           sample{"<rule name='a'><match url='x'/><action type='CustomResponse' "
                  "statusCode='4031'/></rule>",
                  "<action> statusCode '4031' is not a number from 100 to 999"},
           sample{"<rule name='a'><match url='x'/><serverVariables><set name='X'/>"
                  "</serverVariables></rule>",
                  "<set> needs attribute value"},
       }) {
    INFO(s.value);
    auto r = rewrite.validate(with_value(s.value));
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, Catch::Contains(s.reason));
  }

  for (const std::string& good : {
           m1_rule(),
           std::string("<rule name='e' patternSyntax='ECMAScript' enabled='False'>"
                       "<match url='(?&lt;=owa/)auth' negate='true'/></rule>"),
           std::string("<rule name='f'><match url='^x'/><conditions trackAllCaptures='true' "
                       "logicalGrouping='MatchAny'><clear/><add input='{HTTP_COOKIE}' "
                       "pattern='X-BEResource=' negate='true'/><add input='{HTTPS}' pattern='off'/>"
                       "</conditions><action type='Redirect' url='https://x/' "
                       "redirectType='Found' appendQueryString='false'/></rule>"),
       }) {
    INFO(good);
    auto r = rewrite.validate(with_value(good));
    CHECK(r.ok);
    CHECK(r.message.empty());
  }
}

TEST_CASE("another action type is not the rewrite plugin's") {
  plugin_harness plugins(plugins_with("rewrite"), em::iis_section{});
  auto a = make_action("X.1", "DisableService", "", "", "<Service name='x'/>");
  auto r = plugins.applier("UrlRewrite").validate(a);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.message, Catch::Contains("handles UrlRewrite, not 'DisableService'"));
}
