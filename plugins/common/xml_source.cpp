#include "plugins/common/xml_source.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <climits>
#include <map>
#include <unordered_map>

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"

namespace emplugin {

struct xml_source::impl {
  std::string bytes;
  xmlDocPtr doc = nullptr;
  std::unordered_map<const xmlNode*, element_span> spans;
  bool lost_position = false;

  ~impl() {
    if (doc) xmlFreeDoc(doc);
  }
};

namespace {

constexpr std::size_t max_file_size = 64 * 1024 * 1024;

std::size_t offset_of(xmlParserCtxtPtr ctxt) {
  return static_cast<std::size_t>(ctxt->input->consumed) +
         static_cast<std::size_t>(ctxt->input->cur - ctxt->input->base);
}

// libxml2 2.9's own position recording (record_info) loses the start of
// elements that have content, so the positions come from the SAX callbacks:
// when an element starts, the parser stands on the '>' or "/>" closing its
// start tag, and when it ends, just past its last '>'. The '<' of a tag is the
// last '<' before those points, as '<' cannot appear inside a tag.
void on_start(void* ctx, const xmlChar* local, const xmlChar* prefix, const xmlChar* uri,
              int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int nb_defaulted,
              const xmlChar** attributes) {
  auto ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  xmlSAX2StartElementNs(ctx, local, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
  auto* self = static_cast<xml_source::impl*>(ctxt->_private);
  const std::string& b = self->bytes;
  std::size_t pos = offset_of(ctxt);
  std::size_t open = pos < b.size() ? b.rfind('<', pos) : std::string::npos;
  if (!ctxt->node || open == std::string::npos || (b[pos] != '>' && b[pos] != '/')) {
    self->lost_position = true;
    return;
  }
  element_span s;
  s.begin = open;
  s.self_closing = b[pos] == '/';
  s.start_tag_end = pos + (s.self_closing ? 2 : 1);
  self->spans[ctxt->node] = s;
}

void on_end(void* ctx, const xmlChar* local, const xmlChar* prefix, const xmlChar* uri) {
  auto ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  const xmlNode* closing = ctxt->node;
  xmlSAX2EndElementNs(ctx, local, prefix, uri);
  auto* self = static_cast<xml_source::impl*>(ctxt->_private);
  auto it = self->spans.find(closing);
  std::size_t pos = offset_of(ctxt);
  if (it == self->spans.end() || pos == 0 || pos > self->bytes.size() ||
      self->bytes[pos - 1] != '>') {
    self->lost_position = true;
    return;
  }
  it->second.end = pos;
  it->second.close_begin = it->second.self_closing ? pos : self->bytes.rfind('<', pos - 1);
}

bool is_utf8_name(const xmlChar* encoding) {
  if (!encoding) return true;
  auto e = to_lower(reinterpret_cast<const char*>(encoding));
  return e == "utf-8" || e == "utf8";
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

xml_source::xml_source(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
xml_source::xml_source(xml_source&&) noexcept = default;
xml_source& xml_source::operator=(xml_source&&) noexcept = default;
xml_source::~xml_source() = default;

xml_source xml_source::parse(std::string bytes, const std::string& what, mode m) {
  if (bytes.size() > max_file_size)
    throw plugin_error(what + " is larger than " + std::to_string(max_file_size) + " bytes");
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() >= 2 &&
      ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE) || u[0] == 0 || u[1] == 0))
    throw plugin_error(what + " is not UTF-8 (UTF-16 and UTF-32 files are not supported)");

  auto self = std::make_unique<impl>();
  self->bytes = std::move(bytes);
  xmlParserCtxtPtr ctxt =
      xmlCreateMemoryParserCtxt(self->bytes.data(), static_cast<int>(self->bytes.size()));
  if (!ctxt) throw plugin_error("cannot parse " + what + ": out of memory");
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
  if (m == mode::value) options |= XML_PARSE_NOBLANKS;
  xmlCtxtUseOptions(ctxt, options);
  if (m == mode::file) {
    ctxt->_private = self.get();
    ctxt->sax->startElementNs = &on_start;
    ctxt->sax->endElementNs = &on_end;
  }
  xmlParseDocument(ctxt);
  const bool well_formed = ctxt->wellFormed != 0;
  std::string reason;
  int line = 0;
  if (const xmlError* e = xmlCtxtGetLastError(ctxt)) {
    reason = one_line(e->message ? e->message : "");
    line = e->line;
  }
  self->doc = ctxt->myDoc;
  ctxt->myDoc = nullptr;
  xmlFreeParserCtxt(ctxt);

  if (!well_formed || !self->doc)
    throw plugin_error(what + " is not well-formed XML" +
                       (line > 0 ? " (line " + std::to_string(line) + ")" : std::string()) +
                       (reason.empty() ? std::string() : ": " + reason));
  if (self->doc->intSubset || self->doc->extSubset)
    throw plugin_error(what + " has a DOCTYPE, which a configuration file must not have");
  if (!is_utf8_name(self->doc->encoding))
    throw plugin_error(what + " declares encoding '" +
                       reinterpret_cast<const char*>(self->doc->encoding) +
                       "'; only UTF-8 files are supported");
  if (!xmlDocGetRootElement(self->doc)) throw plugin_error(what + " has no root element");
  if (m == mode::file && self->lost_position)
    throw plugin_error("cannot locate the elements of " + what + " precisely; it is left as it is");
  return xml_source(std::move(self));
}

const std::string& xml_source::bytes() const {
  return impl_->bytes;
}

xmlNode* xml_source::root() const {
  return xmlDocGetRootElement(impl_->doc);
}

element_span xml_source::span(const xmlNode* element) const {
  auto it = impl_->spans.find(element);
  if (it == impl_->spans.end() || it->second.end == 0)
    throw plugin_error("no recorded position for <" + name_of(element) + ">");
  return it->second;
}

std::vector<attribute_span> xml_source::attributes(const xmlNode* element) const {
  // The document is well-formed (libxml2 said so), so a start tag is a name,
  // then name="value" pairs with either quote, separated by whitespace.
  const std::string& b = impl_->bytes;
  const element_span s = span(element);
  const std::size_t stop = s.start_tag_end;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t p = s.begin + 1;
  while (p < stop && !is_space(b[p]) && b[p] != '/' && b[p] != '>')
    ++p;
  std::vector<attribute_span> out;
  for (;;) {
    attribute_span a;
    a.space_begin = p;
    while (p < stop && is_space(b[p]))
      ++p;
    if (p >= stop || b[p] == '/' || b[p] == '>') break;
    std::size_t name_begin = p;
    while (p < stop && b[p] != '=' && !is_space(b[p]))
      ++p;
    a.name = b.substr(name_begin, p - name_begin);
    p = b.find_first_of("\"'", p);
    if (p == std::string::npos || p >= stop) break;
    a.value_begin = p + 1;
    a.value_end = b.find(b[p], a.value_begin);
    if (a.value_end == std::string::npos || a.value_end >= stop) break;
    p = a.value_end + 1;
    out.push_back(std::move(a));
  }
  return out;
}

std::string xml_source::eol() const {
  auto n = impl_->bytes.find('\n');
  return (n != std::string::npos && n > 0 && impl_->bytes[n - 1] == '\r') ? "\r\n" : "\n";
}

std::string xml_source::eol_at(std::size_t offset) const {
  const std::string& b = impl_->bytes;
  auto n = b.find('\n', std::min(offset, b.size()));
  if (n == std::string::npos && offset > 0) n = b.rfind('\n', std::min(offset, b.size()) - 1);
  if (n == std::string::npos) return eol();
  return n > 0 && b[n - 1] == '\r' ? "\r\n" : "\n";
}

std::optional<std::string> xml_source::step(const xmlNode* parent, const xmlNode* child) const {
  auto p = impl_->spans.find(parent);
  auto c = impl_->spans.find(child);
  if (p == impl_->spans.end() || c == impl_->spans.end()) return std::nullopt;
  auto outer = indent_before(p->second.begin);
  auto inner = indent_before(c->second.begin);
  if (!outer || !inner || inner->size() <= outer->size() ||
      inner->compare(0, outer->size(), *outer) != 0)
    return std::nullopt;
  return inner->substr(outer->size());
}

std::string xml_source::indent_unit() const {
  // Counted over parent/child pairs that each start their line, so comments,
  // attribute continuation lines and text do not count.
  std::map<std::string, std::size_t> seen;
  std::vector<const xmlNode*> todo{root()};
  while (!todo.empty()) {
    const xmlNode* e = todo.back();
    todo.pop_back();
    for (const xmlNode* c : child_elements(e)) {
      if (auto s = step(e, c)) ++seen[*s];
      todo.push_back(c);
    }
  }
  std::string best = "  ";
  std::size_t most = 0;
  for (const auto& [unit, n] : seen)
    if (n > most || (n == most && unit.size() < best.size())) {
      best = unit;
      most = n;
    }
  return best;
}

std::string xml_source::indent_step(const xmlNode* element) const {
  for (const xmlNode* e = element; e && e->type == XML_ELEMENT_NODE; e = e->parent)
    for (const xmlNode* c : child_elements(e))
      if (auto s = step(e, c)) return *s;
  return indent_unit();
}

std::size_t xml_source::line_begin(std::size_t offset) const {
  if (offset == 0) return 0;
  auto nl = impl_->bytes.rfind('\n', offset - 1);
  return nl == std::string::npos ? 0 : nl + 1;
}

std::optional<std::string> xml_source::indent_before(std::size_t offset) const {
  const std::size_t from = line_begin(offset);
  for (std::size_t p = from; p < offset; ++p)
    if (!is_blank(impl_->bytes[p])) return std::nullopt;
  return impl_->bytes.substr(from, offset - from);
}

std::optional<std::size_t> xml_source::blank_rest_of_line(std::size_t offset) const {
  const std::string& b = impl_->bytes;
  std::size_t p = offset;
  while (p < b.size() && is_blank(b[p]))
    ++p;
  if (p == b.size()) return p;
  if (b[p] == '\n') return p + 1;
  if (b[p] == '\r' && p + 1 < b.size() && b[p + 1] == '\n') return p + 2;
  return std::nullopt;
}

std::string name_of(const xmlNode* n) {
  return n && n->name ? reinterpret_cast<const char*>(n->name) : "";
}

std::vector<xmlNode*> child_elements(const xmlNode* parent, const std::string& name) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (name.empty() || name_of(c) == name)) out.push_back(c);
  return out;
}

xmlNode* first_child(const xmlNode* parent, const std::string& name) {
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && name_of(c) == name) return c;
  return nullptr;
}

std::optional<std::string> attribute(const xmlNode* element, const std::string& name) {
  for (xmlAttr* a = element ? element->properties : nullptr; a; a = a->next) {
    if (a->ns || !a->name || name != reinterpret_cast<const char*>(a->name)) continue;
    xmlChar* v = xmlNodeListGetString(element->doc, a->children, 1);
    std::string out = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return out;
  }
  return std::nullopt;
}

bool has_text(const xmlNode* element) {
  for (const xmlNode* c = element->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE) continue;
    if (c->type == XML_TEXT_NODE && c->content &&
        trim(reinterpret_cast<const char*>(c->content)).empty())
      continue;
    return true;
  }
  return false;
}

}  // namespace emplugin
