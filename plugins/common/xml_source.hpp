#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libxml/tree.h>

namespace emplugin {

// Where an element is in the bytes it was parsed from.
struct element_span {
  std::size_t begin = 0;          // the '<' of its start tag
  std::size_t start_tag_end = 0;  // just past the start tag's '>' (or "/>")
  std::size_t close_begin = 0;    // the '<' of its end tag (== end when self-closing)
  std::size_t end = 0;            // just past the element
  bool self_closing = false;
};

// Where one attribute is inside a start tag.
struct attribute_span {
  std::string name;
  std::size_t space_begin = 0;  // the whitespace before the name
  std::size_t value_begin = 0;  // just past the opening quote
  std::size_t value_end = 0;    // the closing quote
};

// An XML file parsed by libxml2 that still knows where each element came
// from, so an edit can touch only the bytes it must and leave the rest of the
// file (comments, declaration, attribute order, line endings) exactly as it
// was. The tree is for reading; edits are made on bytes() with text_patch.
class xml_source {
 public:
  enum class mode {
    file,  // a configuration file: whitespace is kept, positions recorded
    value  // an action's Value: ignorable whitespace dropped
  };

  // Throws plugin_error naming `what` and the line when the bytes are not
  // well-formed UTF-8 XML, or carry a DOCTYPE.
  static xml_source parse(std::string bytes, const std::string& what, mode m = mode::file);

  xml_source(xml_source&&) noexcept;
  xml_source& operator=(xml_source&&) noexcept;
  ~xml_source();

  const std::string& bytes() const;
  xmlNode* root() const;

  // Only for elements parsed in file mode.
  element_span span(const xmlNode* element) const;
  std::vector<attribute_span> attributes(const xmlNode* element) const;

  // "\r\n" when the file's first line ends so, else "\n".
  std::string eol() const;
  // The line ending of the line holding `offset` (of the line before it when
  // that one is the last and has none): what an insertion there should use.
  std::string eol_at(std::size_t offset) const;
  // One level of indentation as the file writes it: the step from an element
  // to its children seen most often in the file ("  " when it cannot tell).
  std::string indent_unit() const;
  // One level of indentation near `element`: the step from an element to its
  // children, taken from `element`'s own children, else from the nearest
  // ancestor's, else indent_unit(). A file indented by 4 with a comment at 2
  // still gets 4.
  std::string indent_step(const xmlNode* element) const;
  // The start of the line holding `offset`.
  std::size_t line_begin(std::size_t offset) const;
  // The whitespace before `offset` on its line, when nothing else precedes it.
  std::optional<std::string> indent_before(std::size_t offset) const;
  // The end of the line holding `offset`, past its line ending, when only
  // whitespace follows `offset` on that line; otherwise nothing.
  std::optional<std::size_t> blank_rest_of_line(std::size_t offset) const;

  struct impl;  // opaque; public only so the parser's callbacks can reach it

 private:
  explicit xml_source(std::unique_ptr<impl> p);
  // What `child`'s indentation adds to `parent`'s, when both start their lines.
  std::optional<std::string> step(const xmlNode* parent, const xmlNode* child) const;
  std::unique_ptr<impl> impl_;
};

// Tree helpers on libxml2 nodes.
std::string name_of(const xmlNode* n);
std::vector<xmlNode*> child_elements(const xmlNode* parent, const std::string& name = {});
xmlNode* first_child(const xmlNode* parent, const std::string& name);
std::optional<std::string> attribute(const xmlNode* element, const std::string& name);
// Anything but elements, comments and whitespace among the children.
bool has_text(const xmlNode* element);

}  // namespace emplugin
