#include "plugins/common/xml_editor.hpp"

#include "plugins/common/plugin_error.hpp"

namespace emplugin {

std::string xml_editor::raw_name(const xmlNode* element) const {
  const std::string& b = src_.bytes();
  const std::size_t from = src_.span(element).begin + 1;
  const std::size_t to = b.find_first_of(" \t\r\n/>", from);
  return b.substr(from, to - from);
}

std::string xml_editor::indent_of(const xmlNode* element) const {
  return src_.indent_before(src_.span(element).begin).value_or("");
}

std::string xml_editor::child_indent(const xmlNode* parent) const {
  // Siblings already on lines of their own show how this file indents here.
  for (const xmlNode* c : child_elements(parent))
    if (auto indent = src_.indent_before(src_.span(c).begin)) return *indent;
  return indent_of(parent) + src_.indent_step(parent);
}

std::string xml_editor::joined(const element_text& text, const std::string& indent,
                               const std::string& eol) const {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0) out += eol;
    out += indent + text[i];
  }
  return out;
}

void xml_editor::insert_child(const xmlNode* parent, const xmlNode* before,
                              const element_text& text) {
  const std::string indent = child_indent(parent);
  if (before) {
    const std::size_t at = src_.span(before).begin;
    const std::string eol = src_.eol_at(at);
    if (auto own = src_.indent_before(at))
      patch_.insert(src_.line_begin(at), joined(text, *own, eol) + eol);
    else
      patch_.insert(at, joined(text, "", eol) + eol + indent);
    return;
  }
  const element_span p = src_.span(parent);
  const std::string parent_indent = indent_of(parent);
  if (p.self_closing) {
    // <rules /> becomes <rules>, the child, </rules>.
    const std::string eol = src_.eol_at(p.begin);
    std::size_t slash = p.start_tag_end - 2;
    while (slash > p.begin && (src_.bytes()[slash - 1] == ' ' || src_.bytes()[slash - 1] == '\t'))
      --slash;
    patch_.replace(slash, p.end,
                   ">" + eol + joined(text, indent, eol) + eol + parent_indent + "</" +
                       raw_name(parent) + ">");
    return;
  }
  // The line ending of the line the new lines join: the one before the end tag.
  const std::string eol = src_.eol_at(
      src_.line_begin(p.close_begin) > 0 ? src_.line_begin(p.close_begin) - 1 : p.close_begin);
  if (src_.indent_before(p.close_begin))
    patch_.insert(src_.line_begin(p.close_begin), joined(text, indent, eol) + eol);
  else
    patch_.insert(p.close_begin, eol + joined(text, indent, eol) + eol + parent_indent);
}

void xml_editor::insert_after(const xmlNode* sibling, const element_text& text) {
  const element_span s = src_.span(sibling);
  const std::string eol = src_.eol_at(s.end);
  const std::string indent = child_indent(sibling->parent);
  if (auto next_line = src_.blank_rest_of_line(s.end))
    patch_.insert(*next_line, joined(text, indent, eol) + eol);
  else
    patch_.insert(s.end, eol + joined(text, indent, eol));
}

void xml_editor::replace_element(const xmlNode* element, const element_text& text) {
  const element_span s = src_.span(element);
  const std::string indent = indent_of(element);
  std::string body = joined(text, indent, src_.eol_at(s.begin));
  patch_.replace(s.begin, s.end, body.substr(indent.size()));
}

void xml_editor::replace_raw(const xmlNode* element, const std::string& bytes) {
  const element_span s = src_.span(element);
  patch_.replace(s.begin, s.end, bytes);
}

std::string xml_editor::raw(const xmlNode* element) const {
  const element_span s = src_.span(element);
  return src_.bytes().substr(s.begin, s.end - s.begin);
}

void xml_editor::remove_element(const xmlNode* element) {
  const element_span s = src_.span(element);
  auto rest = src_.blank_rest_of_line(s.end);
  if (src_.indent_before(s.begin) && rest)
    patch_.erase(src_.line_begin(s.begin), *rest);
  else
    patch_.erase(s.begin, s.end);
}

void xml_editor::set_attribute(const xmlNode* element, const std::string& name,
                               const std::string& value) {
  set_attribute_raw(element, name, escape_attribute(value));
}

void xml_editor::set_attribute_raw(const xmlNode* element, const std::string& name,
                                   const std::string& raw_value) {
  auto attrs = src_.attributes(element);
  for (const auto& a : attrs) {
    if (a.name != name) continue;
    const char quote = src_.bytes()[a.value_begin - 1];
    if (raw_value.find(quote) != std::string::npos)
      throw plugin_error("internal: value of " + name + " would break its quotes");
    patch_.replace(a.value_begin, a.value_end, raw_value);
    return;
  }
  // After the last attribute (or the name), so the tag's layout is kept.
  const std::size_t at = attrs.empty() ? src_.span(element).begin + 1 + raw_name(element).size()
                                       : attrs.back().value_end + 1;
  patch_.insert(at, " " + name + "=\"" + raw_value + "\"");
}

void xml_editor::remove_attribute(const xmlNode* element, const std::string& name) {
  for (const auto& a : src_.attributes(element))
    if (a.name == name) patch_.erase(a.space_begin, a.value_end + 1);
}

element_text element_lines(const xmlNode* element, const std::string& unit) {
  std::string start = "<" + name_of(element);
  for (const xmlAttr* a = element->properties; a; a = a->next)
    start +=
        " " + std::string(reinterpret_cast<const char*>(a->name)) + "=\"" +
        escape_attribute(attribute(element, reinterpret_cast<const char*>(a->name)).value_or("")) +
        "\"";
  auto children = child_elements(element);
  if (children.empty()) return {start + " />"};
  element_text out{start + ">"};
  for (const xmlNode* c : children)
    for (auto& line : element_lines(c, unit))
      out.push_back(unit + line);
  out.push_back("</" + name_of(element) + ">");
  return out;
}

std::string escape_attribute(const std::string& value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace emplugin
