#pragma once

#include <string>

#include "plugins/common/xml_editor.hpp"
#include "plugins/common/xml_source.hpp"

namespace emrewrite {

// One IIS URL Rewrite <rule>, the Value of a UrlRewrite action, checked
// against the rewrite module's schema before anything is written: known
// elements and attributes only, booleans and enumerations spelled as IIS
// reads them, every pattern compiling with PCRE2 as core/rules compiles it,
// the URL an action of type Redirect needs, the status code a CustomResponse
// needs; then refused, with core/rules' reason, where the evaluator (and so
// the nginx plugin) would not enforce it as IIS does (SPEC 13): both plugins
// accept and refuse the same rules.
class url_rewrite_rule {
 public:
  // Throws emplugin::plugin_error naming the element and attribute at fault.
  static url_rewrite_rule parse(const std::string& value_xml);

  const std::string& name() const { return name_; }
  const xmlNode* element() const { return element_; }

  // The rule as lines for a configuration file indented with `unit`.
  emplugin::element_text text(const std::string& unit) const;

  // Same elements, attributes (in any order) and values; comments and
  // whitespace do not count.
  bool same_as(const xmlNode* other) const;

 private:
  url_rewrite_rule(emplugin::xml_source source, const xmlNode* element, std::string name);

  emplugin::xml_source source_;
  const xmlNode* element_;
  std::string name_;
};

}  // namespace emrewrite
