#pragma once

#include <string>
#include <vector>

#include "plugins/common/text_patch.hpp"
#include "plugins/common/xml_source.hpp"

namespace emplugin {

// An element written out as text: one entry per line, nested lines already
// indented relative to the first. The editor adds the file's own indentation
// and line endings.
using element_text = std::vector<std::string>;

// Edits of an xml_source that touch only the bytes concerned. A new element
// goes on lines of its own, indented like its siblings; removing an element
// that sits alone on its lines takes those lines with it, so a removal undoes
// an insertion byte for byte.
class xml_editor {
 public:
  explicit xml_editor(const xml_source& source) : src_(source) {}

  // As a child of `parent`, before `before` (one of its children), or last
  // when `before` is null. A self-closing parent gets an end tag.
  void insert_child(const xmlNode* parent, const xmlNode* before, const element_text& text);
  // Right after `sibling`, on lines of its own when `sibling` ends its line.
  void insert_after(const xmlNode* sibling, const element_text& text);
  void replace_element(const xmlNode* element, const element_text& text);
  // The element's bytes replaced by `bytes` exactly (restoring what was there).
  void replace_raw(const xmlNode* element, const std::string& bytes);
  // The element's bytes as they are in the file.
  std::string raw(const xmlNode* element) const;
  void remove_element(const xmlNode* element);
  // `value` is the attribute's new text; it is escaped here.
  void set_attribute(const xmlNode* element, const std::string& name, const std::string& value);
  // Puts back an attribute's value exactly as it was written (unescaped bytes).
  void set_attribute_raw(const xmlNode* element, const std::string& name,
                         const std::string& raw_value);
  void remove_attribute(const xmlNode* element, const std::string& name);

  bool changed() const { return !patch_.empty(); }
  std::string result() const { return patch_.apply(src_.bytes()); }

 private:
  std::string indent_of(const xmlNode* element) const;
  std::string child_indent(const xmlNode* parent) const;
  std::string joined(const element_text& text, const std::string& indent,
                     const std::string& eol) const;
  std::string raw_name(const xmlNode* element) const;

  const xml_source& src_;
  text_patch patch_;
};

// `element` (from a Value) as text: attributes in their order, element
// children one level deeper each, empty elements as <name ... />.
element_text element_lines(const xmlNode* element, const std::string& unit);

// An attribute value between double quotes.
std::string escape_attribute(const std::string& value);

}  // namespace emplugin
