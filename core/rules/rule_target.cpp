#include "core/rules/rule_target.hpp"

#include <algorithm>

#include "core/util/error.hpp"

namespace em::rules {
namespace {

bool iequals(const std::string& a, const char* b) {
  const std::string bs(b);
  return a.size() == bs.size() && std::equal(a.begin(), a.end(), bs.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
         });
}

std::string trimmed_slashes(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  while (!s.empty() && s.front() == '/')
    s.erase(s.begin());
  return s;
}

}  // namespace

rule_target rule_target::of(const std::string& scope, const std::string& target) {
  rule_target out;
  if (iequals(scope, "Server") || (scope.empty() && target.empty())) {
    out.server_wide = true;
    return out;
  }
  const bool vdir = iequals(scope, "VDir");
  if (!vdir && !iequals(scope, "Site") && !scope.empty())
    throw invalid_input("scope '" + scope + "' is not Server, Site or VDir");
  if (target.empty()) throw invalid_input("a " + scope + " action needs a target");
  const auto slash = target.find('/');
  if (vdir && slash == std::string::npos)
    throw invalid_input("VDir target '" + target +
                        "' does not name a virtual directory (\"Site/vdir\")");
  if (!vdir && slash != std::string::npos && !scope.empty())
    throw invalid_input("Site target '" + target + "' names a virtual directory; use scope VDir");
  out.site = target.substr(0, slash);
  if (slash != std::string::npos) out.vdir = trimmed_slashes(target.substr(slash + 1));
  if (out.site.empty() || (slash != std::string::npos && out.vdir.empty()))
    throw invalid_input("target '" + target + "' is not \"Site\" or \"Site/vdir\"");
  return out;
}

std::string rule_target::text() const {
  if (server_wide) return "(server)";
  return vdir.empty() ? site : site + "/" + vdir;
}

}  // namespace em::rules
