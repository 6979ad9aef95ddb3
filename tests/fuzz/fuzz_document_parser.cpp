// libFuzzer target: parse_mitigation_document on arbitrary bytes. It only ever
// sees verified canonical bytes in the service, but those are the publisher's
// words: a parser bug must not turn into a crash or a memory error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/model/document_parser.hpp"
#include "core/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    em::mitigation_document doc = em::parse_mitigation_document(bytes);
    // Every accepted Config has a valid, unique id and numbered actions.
    for (const auto& m : doc.mitigations) {
      if (!em::is_valid_mitigation_id(m.id)) __builtin_trap();
      for (const auto& a : m.actions)
        if (!em::is_valid_action_id(a.id) || a.type.empty()) __builtin_trap();
    }
  } catch (const em::error&) {
    // A document-level rejection, as documented; anything else escapes and is a crash.
  }
  return 0;
}
