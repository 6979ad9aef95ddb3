#pragma once

#include <string>

namespace em::rules {

// Where a UrlRewrite action's rule applies, from its scope and target:
// scope Server (or no target) → every site; Site → the site named by target;
// VDir → "Site/vdir[/…]", the virtual directory's requests only, with
// <match url> relative to it, as IIS reads a rule in that vdir's web.config.
struct rule_target {
  std::string site;  // empty for a server-wide rule
  std::string vdir;  // "owa" for "Default Web Site/owa"; empty for a site or the server
  bool server_wide = false;

  // Throws em::invalid_input for a scope other than Server, Site or VDir, a
  // Site or VDir action without a target, or a VDir target without a '/'.
  static rule_target of(const std::string& scope, const std::string& target);

  // "Default Web Site", "Default Web Site/owa" or "(server)".
  std::string text() const;
};

}  // namespace em::rules
