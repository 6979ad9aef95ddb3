#pragma once

#include <string>

#include "core/policy/sequence_check.hpp"
#include "core/store/store.hpp"
#include "core/trust/document_verifier.hpp"

namespace em {

// What a new document's sequence is checked against in an organisation
// (SPEC 11): this server's own accepted state, raised to the highest
// sequence any server of the organisation accepted, so that a stale mirror
// cannot roll back a server that has not seen the newest document yet.
struct fleet_accepted {
  accepted_state accepted;
  std::string from_server;  // set when the organisation's floor is what counts
  std::string ignored;      // why the floor was not believed, when it was not
};

// The floor is believed only once its signed document verifies here, with
// this server's own trust settings, and carries the sequence and digest the
// floor claims: a server's etcd identity can write the floor key, and must
// not be able to freeze the fleet with a made-up number. A floor that does
// not verify is ignored (the server's own state still holds) and `ignored`
// says why. Throws what the store throws.
fleet_accepted fleet_accepted_state(store& state, const std::string& server,
                                    const document_verifier& verifier, sys_time now);

}  // namespace em
