#pragma once

#include <string>
#include <string_view>

#include "core/trust/xml_handles.hpp"

namespace em::trust_detail {

struct parsed_xml {
  xml_doc_ptr doc;     // null when rejected
  std::string reason;  // "DTD present" or "malformed XML: …" when rejected
};

// Parses bytes nobody has vouched for yet with libxml2, safely: no DTD at all
// (parsing stops at a DOCTYPE, so no entity is ever declared, expanded or
// fetched), no network, libxml2's default limits on size and depth kept.
// Call xmlsec_runtime::ensure() first.
parsed_xml parse_untrusted_xml(std::string_view bytes);

}  // namespace em::trust_detail
