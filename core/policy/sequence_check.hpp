#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace em {

// What this server accepted before (SPEC 2, freshness).
struct accepted_state {
  std::optional<std::uint64_t> highest_sequence;
  std::string digest;  // of the document that set it
};

// The rollback rules on EOCS@sequence: lower than the highest accepted →
// rollback; equal with another digest → rejected; missing → rejected unless
// require_sequence is false and no sequence was ever accepted (SPEC 3: once a
// server accepted one, it requires one). Returns the reason, or an empty
// string to accept.
std::string check_sequence(const std::optional<std::uint64_t>& sequence, const std::string& digest,
                           const accepted_state& accepted, bool require_sequence);

}  // namespace em
