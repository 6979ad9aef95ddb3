#include "tests/e2e/nginx/mitigation_documents.hpp"

namespace em::test {

#define EM_M1_CONFIG                                                                           \
  "  <Config id=\"M1\" desc=\"Mitigation of CVE-2022-41040 via URL Rewrite configuration\">\n" \
  "    <Applicability>\n"                                                                      \
  "      <Range product=\"Exchange2019\" min=\"15.2.221.12\" max=\"15.2.986.30\"/>\n"          \
  "      <Range product=\"Exchange2019\" min=\"15.2.1118.0\" max=\"15.2.1118.15\"/>\n"         \
  "    </Applicability>\n"                                                                     \
  "    <ActionList>\n"                                                                         \
  "      <Action type=\"UrlRewrite\" scope=\"Site\" target=\"Default Web Site\" "              \
  "desc=\"Block autodiscover PowerShell requests\">\n"                                         \
  "        <Value>\n"                                                                          \
  "          <rule name=\"EEMS M1.1 PowerShell - inbound\" stopProcessing=\"true\">\n"         \
  "            <match url=\".*\"/>\n"                                                          \
  "            <conditions>\n"                                                                 \
  "              <add input=\"{UrlDecode:{REQUEST_URI}}\" "                                    \
  "pattern=\"(?=.*autodiscover)(?=.*powershell)\"/>\n"                                         \
  "            </conditions>\n"                                                                \
  "            <action type=\"AbortRequest\"/>\n"                                              \
  "          </rule>\n"                                                                        \
  "        </Value>\n"                                                                         \
  "      </Action>\n"                                                                          \
  "    </ActionList>\n"                                                                        \
  "    <Rollback>Remove the rule \"EEMS M1.1 PowerShell - inbound\" from Default Web "         \
  "Site.</Rollback>\n"                                                                         \
  "  </Config>\n"

#define EM_URL_REWRITE(config, desc, scope, target, rule)                                    \
  "  <Config id=\"" config "\" desc=\"" desc                                                 \
  "\">\n    <ActionList>\n"                                                                  \
  "      <Action type=\"UrlRewrite\" scope=\"" scope "\" target=\"" target "\" desc=\"" desc \
  "\">\n        <Value>" rule                                                                \
  "</Value>\n      </Action>\n    </ActionList>\n"                                           \
  "  </Config>\n"

const char* const m1_document =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n" EM_M1_CONFIG
    "</EOCS>\n";

const char* const m1_and_unloadable_document =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n" EM_M1_CONFIG
        EM_URL_REWRITE("M9", "A named group nginx cannot load", "Site", "Default Web Site",
                       "<rule name=\"EM M9.1 named group\"><match url=\"(?&lt;uri&gt;ecp/.*)\"/>"
                       "<action type=\"AbortRequest\"/></rule>") "</EOCS>\n";

const char* const corpus_document =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<EOCS version=\"1.0.4\">\n"
    // First: the load balancer's probe stops rule processing, so nothing after it applies.
    EM_URL_REWRITE("M0", "Health probe passes untouched", "Site", "Default Web Site",
                   "<rule name=\"EM M0.1 health probe\" stopProcessing=\"true\">"
                   "<match url=\"^owa/healthcheck\\.htm$\"/><action type=\"None\"/></rule>")
        EM_M1_CONFIG EM_URL_REWRITE(
            "M2", "CVE-2021-26855 X-BEResource cookie", "Site", "Default Web Site",
            "<rule name=\"EEMS M2.1 X-BEResource Cookie - inbound\" stopProcessing=\"true\">"
            "<match url=\".*\"/><conditions>"
            "<add input=\"{HTTP_COOKIE}\" pattern=\"(.*)X-BEResource=(.+)/(.+)~(.+)\"/>"
            "</conditions><action type=\"CustomResponse\" statusCode=\"403\" "
            "statusReason=\"Forbidden\" statusDescription=\"Blocked by EM Service\"/>"
            "</rule>")
            EM_URL_REWRITE(
                "M3", "ECP posts only from the internal network", "VDir", "Default Web Site/ecp",
                "<rule name=\"EM M3.1 ECP outside posts\"><match url=\"\\.aspx$\" "
                "ignoreCase=\"false\"/><conditions>"
                "<add input=\"{REQUEST_METHOD}\" pattern=\"^POST$\"/>"
                "<add input=\"{HTTP_X_FORWARDED_FOR}\" pattern=\"^10\\.\" negate=\"true\"/>"
                "</conditions><action type=\"CustomResponse\" statusCode=\"403\" "
                "subStatusCode=\"6\"/></rule>")
                EM_URL_REWRITE(
                    "M4", "Old bookmarks", "Site", "Default Web Site",
                    "<rule name=\"EM M4.1 legacy\"><match url=\"^exchange/?$\"/>"
                    "<conditions logicalGrouping=\"MatchAny\">"
                    "<add input=\"{QUERY_STRING}\" pattern=\"(^|&amp;)legacy=1\"/>"
                    "<add input=\"{HTTP_HOST}\" pattern=\"^webmail\\.\"/>"
                    "</conditions><action type=\"Redirect\" url=\"https://mail.contoso.com/owa/\" "
                    "redirectType=\"Found\" appendQueryString=\"false\"/></rule>") "</EOCS>\n";

#undef EM_URL_REWRITE
#undef EM_M1_CONFIG

}  // namespace em::test
