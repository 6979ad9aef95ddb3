#pragma once

#include <string>
#include <vector>

namespace emctl {

// "true" or "false" in any case, nothing else. Throws em::invalid_input
// "bad boolean 'yes' for --mitigations-enabled (true or false)".
bool parse_bool_option(const std::string& text, const std::string& option);

// "M1, M2.1" → {"M1", "M2.1"}; "" (as in --blocked=) → {}, which clears.
// Entries are trimmed, not checked: the store validates them.
std::vector<std::string> split_id_list(const std::string& text);

// Throws em::invalid_input naming `option` unless `url` is empty (clear) or a
// proxy URL the store accepts.
void check_proxy_option(const std::string& url, const std::string& option);

}  // namespace emctl
