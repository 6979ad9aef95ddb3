#include "core/trust/untrusted_xml.hpp"

#include <climits>

#include "core/trust/error_capture.hpp"

namespace em::trust_detail {
namespace {

// Any DOCTYPE, with or without an internal subset, ends the parse: entity
// declarations and external DTDs can only come through it.
void on_doctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  *static_cast<bool*>(ctxt->_private) = true;
  xmlStopParser(ctxt);
}

}  // namespace

parsed_xml parse_untrusted_xml(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return {nullptr, "too large for the XML parser"};
  error_capture capture;
  parser_ctxt_ptr ctxt(xmlNewParserCtxt());
  if (!ctxt || !ctxt->sax) return {nullptr, "malformed XML: the XML parser could not start"};
  bool doctype_seen = false;
  ctxt->_private = &doctype_seen;
  ctxt->sax->internalSubset = &on_doctype;
  ctxt->sax->externalSubset = nullptr;
  // No XML_PARSE_NOENT (no entity substitution), no XML_PARSE_DTDLOAD / DTDATTR /
  // DTDVALID, no XML_PARSE_HUGE (keep the limits); XML_PARSE_NONET as a backstop.
  const int options = XML_PARSE_NONET | XML_PARSE_NOWARNING;
  xml_doc_ptr doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                                    nullptr, nullptr, options));
  if (doctype_seen) return {nullptr, "DTD present"};
  if (!doc || !ctxt->wellFormed) {
    std::string why = capture.first_xml_error();
    return {nullptr, "malformed XML: " + (why.empty() ? std::string("not well-formed") : why)};
  }
  if (doc->intSubset || doc->extSubset) return {nullptr, "DTD present"};
  // An undeclared prefix is only a namespace error to libxml2, which then
  // keeps "x:name" as a plain name; names must mean one thing to every reader.
  if (!ctxt->nsWellFormed) {
    std::string why = capture.first_xml_error();
    return {nullptr, "malformed XML: " + (why.empty() ? std::string("namespace error") : why)};
  }
  return {std::move(doc), ""};
}

}  // namespace em::trust_detail
