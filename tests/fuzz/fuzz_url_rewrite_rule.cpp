// libFuzzer target: the URL Rewrite rule model and evaluator (core/rules) on
// arbitrary bytes. The input is a rule's XML, a blank line, then a request
// target: the rule is the publisher's word (signed, but parsed by hand-written
// code), the request the attacker's. Neither may crash, leak or hang: each
// match is bounded by PCRE2's limits and every input by its size limits.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/rules/http_request.hpp"
#include "core/rules/rule_evaluator.hpp"
#include "core/rules/rule_parser.hpp"
#include "core/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t split = bytes.find("\n\n");
  const std::string rule_xml(bytes.substr(0, split));
  std::string target(split == std::string_view::npos ? "/" : bytes.substr(split + 2));
  if (target.empty() || target[0] != '/') target.insert(target.begin(), '/');

  std::optional<em::rules::url_rewrite_rule> rule;
  try {
    rule = em::rules::parse_url_rewrite_rule(rule_xml);
  } catch (const em::invalid_input&) {
    // refused with a reason, as documented
  }
  try {
    auto request = em::rules::http_request::from_target(
        target, size % 2 == 0, "GET", {{"Host", "mail.contoso.com"}, {"Cookie", target}});
    // nginx's $uri always starts with '/', and no decoding grows a string.
    if (request.path().empty() || request.path()[0] != '/') __builtin_trap();
    if (request.decoded_request_uri().size() > target.size()) __builtin_trap();
    if (rule) (void)em::rules::rule_evaluator(request).evaluate(*rule, size % 3 ? "" : "owa");
  } catch (const em::invalid_input&) {
    // a request nginx answers 400
  }
  return 0;
}
