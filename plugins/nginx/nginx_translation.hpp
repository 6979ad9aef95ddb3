#pragma once

#include <filesystem>
#include <string>

#include "core/rules/rule_target.hpp"
#include "core/rules/url_rewrite_rule.hpp"

namespace emnginx {

// IIS URL Rewrite semantics in nginx configuration, for the `server` blocks
// that include a folder of the plugin's files (`include <folder>/*.conf;`).
// Each rule is a run of rewrite-module directives that nginx executes in
// order in the server's rewrite phase, before any location is chosen:
//
//   set $emservice_hits $emservice_stop;           "" or "s" (a rule stopped processing)
//   if ($emservice_url ~* "<match url>")  { set $emservice_hits "${emservice_hits}m"; }
//   if (<input 1> ~* "<pattern 1>")       { set $emservice_hits "${emservice_hits}1;"; }
//   …
//   if ($emservice_hits = "m1;…") { return 444; }   MatchAll; MatchAny: ~ "^m[0-9]"
//
// `!~*` for negate, `~` without ignoreCase, the pattern text unchanged (PCRE2
// with the options core/rules uses). The folder's common file sets the
// inputs plain configuration has ($uri without its '/', HTTPS as on/off) and,
// through njs, what it has not: UrlDecode of the whole request URI, and a
// literal '$' (nginx strings have no escape for it).
class nginx_translation {
 public:
  // The file of one action: "<folder>/emservice-<action id>.conf".
  static std::filesystem::path rule_file(const std::filesystem::path& folder,
                                         const std::string& action_id);
  static std::filesystem::path common_file(const std::filesystem::path& folder);
  static std::filesystem::path script_file(const std::filesystem::path& folder);

  static std::string rule_text(const em::rules::url_rewrite_rule& rule,
                               const em::rules::rule_target& target, const std::string& action_id);
  static std::string common_text(const std::filesystem::path& folder);
  static std::string script_text();
};

}  // namespace emnginx
