// libFuzzer target: the streaming limit pass (issue 12) against libxml2. The
// pass tokenises the raw bytes on its own; if it ever saw a document
// differently from libxml2, a limit could be passed by a document it
// misread. So every document the pass lets through is parsed by libxml2 as
// the verifier does, and the tree must keep every limit: elements, depth,
// attributes per element, value, text and name lengths, comments and PIs,
// no namespace but the two allowed ones where they are allowed, no
// attribute in a namespace but xml:, nothing after the root. Small limits
// (below) make each one reachable within libFuzzer's input sizes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/trust/document_limits.hpp"
#include "core/trust/untrusted_xml.hpp"
#include "core/trust/xmlsec_runtime.hpp"

namespace {

using em::trust_detail::document_limits;

document_limits small_limits() {
  document_limits l;
  l.elements = 64;
  l.attributes_per_element = 4;
  l.attribute_value_length = 64;
  l.text_length = 256;
  l.name_length = 32;
  l.depth = 8;
  l.comments_and_pis = 4;
  return l;
}

const char* str(const xmlChar* s) {
  return s ? reinterpret_cast<const char*>(s) : "";
}

std::string_view local_name(const xmlNode* n) {
  return str(n->name);
}

struct walk {
  const document_limits& l;
  std::size_t elements = 0;
  std::size_t others = 0;

  void check(bool ok) {
    if (!ok) __builtin_trap();
  }

  void declarations(const xmlNode* n, bool in_signature) {
    for (const xmlNs* ns = n->nsDef; ns; ns = ns->next) {
      const bool same_prefix = (ns->prefix == nullptr && n->ns && n->ns->prefix == nullptr) ||
                               (ns->prefix && n->ns && n->ns->prefix &&
                                std::strcmp(str(ns->prefix), str(n->ns->prefix)) == 0);
      const bool dsig = local_name(n) == "Signature" &&
                        std::strcmp(str(ns->href), em::trust_detail::dsig_namespace) == 0;
      const bool timestamp =
          in_signature && local_name(n) == "CounterSignature" &&
          std::strcmp(str(ns->href), em::trust_detail::ms_timestamp_namespace) == 0;
      check(same_prefix && (dsig || timestamp));
    }
  }

  void element(const xmlNode* n, std::size_t depth, bool in_signature) {
    check(++elements <= l.elements);
    check(depth <= l.depth);
    std::size_t name = std::strlen(str(n->name));
    if (n->ns && n->ns->prefix) name += 1 + std::strlen(str(n->ns->prefix));
    check(name <= l.name_length);
    declarations(n, in_signature);
    std::size_t attributes = 0;
    for (const xmlNs* ns = n->nsDef; ns; ns = ns->next)
      ++attributes;
    for (const xmlAttr* a = n->properties; a; a = a->next) {
      ++attributes;
      check(!a->ns || std::strcmp(str(a->ns->href), "http://www.w3.org/XML/1998/namespace") == 0);
      xmlChar* value = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(a));
      check(std::strlen(str(value)) <= l.attribute_value_length);
      xmlFree(value);
    }
    check(attributes <= l.attributes_per_element);
    const bool inside = in_signature || local_name(n) == "Signature";
    for (const xmlNode* c = n->children; c; c = c->next)
      node(c, depth + 1, inside);
  }

  void node(const xmlNode* n, std::size_t depth, bool in_signature) {
    switch (n->type) {
      case XML_ELEMENT_NODE:
        element(n, depth, in_signature);
        break;
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        check(std::strlen(str(n->content)) <= l.text_length);
        break;
      case XML_COMMENT_NODE:
      case XML_PI_NODE:
        check(++others <= l.comments_and_pis);
        break;
      default:
        break;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = (em::trust_detail::xmlsec_runtime::ensure(), true);
  (void)ready;
  static const document_limits limits = small_limits();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string reason = em::trust_detail::check_document_limits(bytes, limits);
  if (!reason.empty()) return 0;
  auto parsed = em::trust_detail::parse_untrusted_xml(bytes);
  if (!parsed.doc) return 0;
  walk w{limits};
  bool root_seen = false;
  for (const xmlNode* n = parsed.doc->children; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      if (root_seen) __builtin_trap();
      root_seen = true;
      w.element(n, 1, false);
    } else if (root_seen) {
      __builtin_trap();  // only white space may follow the root element
    } else {
      w.node(n, 0, false);
    }
  }
  return 0;
}
