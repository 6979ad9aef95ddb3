#pragma once

namespace em::test {

// The real M1 rule (SPEC 2; Microsoft's mitigation of CVE-2022-41040,
// ProxyNotShell) as a UrlRewrite action's Value.
inline constexpr const char* m1_rule_xml =
    "<rule name=\"EEMS M1.1 PowerShell - inbound\" stopProcessing=\"true\"><match url=\".*\"/>"
    "<conditions><add input=\"{UrlDecode:{REQUEST_URI}}\" "
    "pattern=\"(?=.*autodiscover)(?=.*powershell)\"/></conditions>"
    "<action type=\"AbortRequest\"/></rule>";

}  // namespace em::test
