#include "core/policy/sequence_check.hpp"

namespace em {

std::string check_sequence(const std::optional<std::uint64_t>& sequence, const std::string& digest,
                           const accepted_state& accepted, bool require_sequence) {
  if (!sequence) {
    // Once a sequence was accepted, an old unsequenced document must not come back.
    if (accepted.highest_sequence)
      return "no sequence on EOCS (this server already accepted sequence " +
             std::to_string(*accepted.highest_sequence) + ", so one is required)";
    return require_sequence ? "no sequence on EOCS (trust.require_sequence is true)" : "";
  }
  if (!accepted.highest_sequence) return "";
  if (*sequence < *accepted.highest_sequence)
    return "rollback: sequence " + std::to_string(*sequence) + " is lower than " +
           std::to_string(*accepted.highest_sequence) + ", already accepted";
  if (*sequence == *accepted.highest_sequence && !accepted.digest.empty() &&
      digest != accepted.digest)
    return "sequence " + std::to_string(*sequence) +
           " was already accepted for a different document";
  return "";
}

}  // namespace em
