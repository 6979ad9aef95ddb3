#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace em::trust_detail {

// The bounds every document must keep before any tree is built or any byte is
// canonicalised (SPEC 3, "Bounded cost"). libxml2's parse and C14N cost more
// than linear time in some shapes (attributes × attributes for the duplicate
// check, elements × in-scope namespaces² for C14N): under these bounds every
// stage is linear in the bytes, and docs/trust.md gives the worst case they
// allow. Real documents use a small fraction of each (Microsoft's 2021
// document: 30 elements, at most 3 attributes, longest text 6,456 bytes).
struct document_limits {
  std::size_t elements = 20'000;              // in the whole document, Object included
  std::size_t attributes_per_element = 32;    // namespace declarations included
  std::size_t attribute_value_length = 8192;  // bytes, as written
  std::size_t text_length = 65'536;           // bytes of one run of text (CDATA included)
  std::size_t name_length = 256;              // bytes of an element or attribute name
  std::size_t depth = 32;                     // SPEC 2: nesting deeper than 32 is rejected
  std::size_t comments_and_pis = 256;         // comments and processing instructions
};

// The only namespaces a document may declare, each only where its format puts
// it: XML-DSig on Signature (SPEC 2), and the Microsoft timestamp namespace on
// the CounterSignature that Microsoft's documents carry inside ds:Object.
extern const char* const dsig_namespace;
extern const char* const ms_timestamp_namespace;

// One forward pass over the raw bytes, in time linear in their size and with
// constant memory (the open elements, at most `depth` of them). Checks the
// limits, the namespace rule, that no attribute has a prefix other than xml:
// (so nothing can be seen differently by the structure check and xmlsec), that
// the bytes are UTF-8 text without NUL or other C0 controls, and that nothing
// but white space follows the root element. Returns why the document is
// refused, naming the limit ("limit exceeded: attributes per element (at most
// 32) on <EOCS> at line 2"), or an empty string. Well-formedness beyond what
// the pass needs to tokenise is left to libxml2, which parses next.
std::string check_document_limits(std::string_view bytes, const document_limits& limits = {});

}  // namespace em::trust_detail
