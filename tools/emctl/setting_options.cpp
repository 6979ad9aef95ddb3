#include "tools/emctl/setting_options.hpp"

#include <algorithm>
#include <cctype>

#include "core/store/server_settings.hpp"
#include "core/util/error.hpp"

namespace emctl {
namespace {

std::string trim(const std::string& s) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  auto first = std::find_if_not(s.begin(), s.end(), is_space);
  auto last = std::find_if_not(s.rbegin(), s.rend(), is_space).base();
  return first < last ? std::string(first, last) : std::string();
}

std::string lowercase(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool parse_bool_option(const std::string& text, const std::string& option) {
  const auto value = lowercase(text);
  if (value == "true") return true;
  if (value == "false") return false;
  throw em::invalid_input("bad boolean '" + text + "' for " + option + " (true or false)");
}

std::vector<std::string> split_id_list(const std::string& text) {
  std::vector<std::string> ids;
  if (trim(text).empty()) return ids;
  std::string::size_type start = 0;
  for (;;) {
    const auto comma = text.find(',', start);
    ids.push_back(trim(text.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ids;
}

void check_proxy_option(const std::string& url, const std::string& option) {
  if (!url.empty() && !em::is_valid_proxy_url(url))
    throw em::invalid_input("bad URL '" + url + "' for " + option +
                            " (http:// or https:// with a host, e.g. "
                            "http://proxy.contoso.com:8080)");
}

}  // namespace emctl
