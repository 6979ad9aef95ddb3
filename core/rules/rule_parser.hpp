#pragma once

#include <cstddef>
#include <string>

#include "core/rules/url_rewrite_rule.hpp"

namespace em::rules {

constexpr std::size_t max_rule_xml = 64 * 1024;
constexpr std::size_t max_conditions = 32;

// Parses a UrlRewrite action's Value: exactly one IIS URL Rewrite <rule>.
// Checked against the URL Rewrite schema (known elements and attributes,
// IIS's spelling of booleans and enumerations, every pattern compiling), and
// refused, with the reason, where the rule asks for something the evaluator
// and the nginx plugin do not enforce the way IIS would: patternSyntax other
// than ECMAScript, an input other than those of rule_input, matchType
// IsFile/IsDirectory, <serverVariables>, action Rewrite, a Redirect URL
// with back-references or server variables. Throws em::invalid_input naming
// the element and attribute at fault.
url_rewrite_rule parse_url_rewrite_rule(const std::string& value_xml);

}  // namespace em::rules
