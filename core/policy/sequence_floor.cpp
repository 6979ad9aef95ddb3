#include "core/policy/sequence_floor.hpp"

#include "core/store/store_rules.hpp"

namespace em {

fleet_accepted fleet_accepted_state(store& state, const std::string& server,
                                    const document_verifier& verifier, sys_time now) {
  fleet_accepted out;
  if (auto own = state.find_server(server))
    out.accepted = {own->highest_sequence, own->accepted_digest};
  const auto floor = state.organization_sequence_floor();
  if (!floor || same_server_name(floor->server, server)) return out;
  const auto& mine = out.accepted.highest_sequence;
  if (mine && *mine >= floor->sequence) return out;

  const std::string what =
      "sequence " + std::to_string(floor->sequence) + " of server " + floor->server + ": ";
  if (!floor->document) {
    out.ignored = what + "its document is not in the store";
    return out;
  }
  const auto v = verifier.verify(floor->document->bytes, now);
  if (!v.verified) {
    out.ignored = what + "its document does not verify: " + v.reason;
    return out;
  }
  if (v.document.sequence != floor->sequence || v.digest != floor->digest) {
    out.ignored = what + "its document carries sequence " +
                  (v.document.sequence ? std::to_string(*v.document.sequence) : "none") +
                  ", not the one claimed";
    return out;
  }
  out.accepted = {floor->sequence, v.digest};
  out.from_server = floor->server;
  return out;
}

}  // namespace em
