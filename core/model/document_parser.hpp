#pragma once

#include <string_view>

#include "core/model/mitigation_document.hpp"

namespace em {

// Builds the mitigation model from XML text. Callers pass only bytes whose
// digest was verified (the canonical pre-digest data), never the raw file.
//
// Throws em::invalid_input naming the problem when the document as a whole is
// unusable (malformed XML, root not EOCS, bad sequence or expires). A Config
// that is invalid on its own lands in `rejected` with its reason.
mitigation_document parse_mitigation_document(std::string_view xml);

}  // namespace em
