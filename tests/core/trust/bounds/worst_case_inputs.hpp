#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/trust/document_limits.hpp"

namespace em::test {

// One shape of input that makes verification as costly as the document
// limits allow (docs/trust.md), made from a signed document.
struct worst_case_input {
  std::string limit;        // the limit it leans on, as rejection reasons name it
  std::string at_limit;     // that limit used to the full, the rest filled up to the size limit
  std::string over_limit;   // the same shape one step past the limit
  std::string over_reason;  // the start of the rejection reason of over_limit
  // What the verifier answers at_limit: "bad digest" when it changed what the
  // digest covers (so the whole canonicalisation and digest ran), "" when it
  // verifies (added inside ds:Object, or comments, which C14N 1.0 leaves out).
  std::string verdict = "bad digest";
};

// Every shape for the default document_limits and `max_size` bytes: elements,
// attributes per element, attribute value length, text length, name length,
// depth, comments and processing instructions, namespace declarations, and
// ds:Object filled up to the limits. `signed_doc` must have a </Config> and a
// </KeyInfo> (as em::sign_document writes them); each at_limit input is at
// most `max_size` bytes.
std::vector<worst_case_input> worst_case_inputs(const std::string& signed_doc,
                                                std::size_t max_size = 1024 * 1024);

// How many elements `xml` has (its start tags), for filling up to a limit.
std::size_t count_elements(const std::string& xml);

// `unit`, `n` times.
std::string repeat(const std::string& unit, std::size_t n);

// ` xmlns:a0="urn:a0" xmlns:a1="urn:a1" …`, `n` of them: the canonicalisation
// bomb of issue 12's review.
std::string namespace_declarations(std::size_t n);

}  // namespace em::test
