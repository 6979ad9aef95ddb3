#include "plugins/common/value_element.hpp"

#include <algorithm>

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/xml_source.hpp"

namespace emplugin {

std::map<std::string, std::string> parse_value_element(const std::string& value_xml,
                                                       const std::string& action_type,
                                                       const std::string& element,
                                                       const std::vector<std::string>& allowed,
                                                       const std::vector<std::string>& required) {
  const std::string expected = "a " + action_type + " Value must be one <" + element + "/> element";
  auto src = xml_source::parse("<Value>" + value_xml + "</Value>", "the " + action_type + " Value",
                               xml_source::mode::value);
  auto elements = child_elements(src.root());
  if (has_text(src.root()) || elements.size() != 1 || name_of(elements[0]) != element)
    throw plugin_error(expected);
  const xmlNode* e = elements[0];
  if (e->children) throw plugin_error(expected + " with no content");
  std::map<std::string, std::string> out;
  for (const xmlAttr* a = e->properties; a; a = a->next) {
    std::string name = reinterpret_cast<const char*>(a->name);
    if (a->ns || std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw plugin_error("<" + element + "> has unknown attribute '" + name + "'");
    out[name] = attribute(e, name).value_or("");
    if (has_control_char(out[name]))
      throw plugin_error("<" + element + "> " + name + " holds a control character");
  }
  for (const auto& r : required)
    if (trim(out[r]).empty()) throw plugin_error("<" + element + "> needs a " + r + " attribute");
  return out;
}

bool parse_flag(const std::string& text, const std::string& what) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  throw plugin_error(what + " must be true or false, not " + quoted(text));
}

std::vector<std::string> with_name(std::vector<std::string> command, const std::string& name) {
  static const std::string placeholder = "{name}";
  for (auto& arg : command)
    for (auto p = arg.find(placeholder); p != std::string::npos;
         p = arg.find(placeholder, p + name.size()))
      arg.replace(p, placeholder.size(), name);
  return command;
}

}  // namespace emplugin
