#pragma once

#include <map>
#include <string>
#include <vector>

namespace emplugin {

// The one empty element an action's Value holds, such as
// <AppPool name="MSExchangeECPAppPool"/>: its attributes, after checking that
// there is nothing else, that it is named `element`, and that each attribute
// is among `allowed` (with those in `required` present and not empty).
// Throws plugin_error naming `action_type` and what is wrong.
std::map<std::string, std::string> parse_value_element(const std::string& value_xml,
                                                       const std::string& action_type,
                                                       const std::string& element,
                                                       const std::vector<std::string>& allowed,
                                                       const std::vector<std::string>& required);

// "true"/"false" (any case) as a bool; throws plugin_error naming `what`.
bool parse_flag(const std::string& text, const std::string& what);

// Each "{name}" in the command's arguments replaced by `name`.
std::vector<std::string> with_name(std::vector<std::string> command, const std::string& name);

}  // namespace emplugin
