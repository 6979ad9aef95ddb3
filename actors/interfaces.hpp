#pragma once

// The typed interfaces of the five actors, in one place so a test can put a
// mock with the same interface in place of any collaborator (and of the
// long-poll actor, SPEC 12, which hands the timer documents as they change).
//
// A cycle flows timer → fetcher → verifier → policy; each stage delegates to
// the next, so the cycle_report (or the caf::error saying why the cycle
// stopped) goes back to whoever started it. Every stage tells the audit actor
// what it did; the policy tells the notify actor of a cycle that changed something.

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"

namespace em {

using audit_actor =
    caf::typed_actor<caf::reacts_to<log_atom, log_record>, caf::reacts_to<event_atom, event_record>,
                     // Answers once everything received before it is written.
                     caf::replies_to<flush_atom>::with<bool>>;

using notify_actor =
    caf::typed_actor<caf::reacts_to<notify_atom, notification>,
                     // Answers once every notification received before it was sent.
                     caf::replies_to<flush_atom>::with<bool>>;

using policy_actor =
    caf::typed_actor<caf::replies_to<apply_atom, verified_document>::with<cycle_report>>;

using verifier_actor =
    caf::typed_actor<caf::replies_to<verify_atom, fetched_document>::with<cycle_report>>;

using fetcher_actor =
    caf::typed_actor<caf::replies_to<run_atom>::with<cycle_report>,
                     // The last accepted document, from the store, to the verifier again:
                     // a decision pass after a setting changed (SPEC 11), nothing fetched.
                     caf::replies_to<replay_atom>::with<cycle_report>,
                     // A cycle on a document already in hand (a long-poll brought it): no fetch.
                     caf::replies_to<run_atom, fetched_document>::with<cycle_report>>;

using timer_actor =
    caf::typed_actor<caf::reacts_to<tick_atom>,
                     // An early retry after a failed fetch; unlike a tick it schedules nothing.
                     caf::reacts_to<retry_atom>,
                     // Runs a cycle now (emctl check-now, SIGUSR1, emsd --once) unless one is
                     // running.
                     caf::replies_to<run_atom>::with<cycle_report>,
                     // A watched setting changed (what, in one line): a decision pass
                     // now, or right after the cycle in hand (SPEC 11).
                     caf::reacts_to<settings_atom, std::string>,
                     // A new document a long-poll brought (SPEC 12): a cycle on it now, or
                     // right after the one running.
                     caf::reacts_to<run_atom, fetched_document>>;

using long_poll_actor = caf::typed_actor<
    // Sends the next long-poll request (when none is out and the feed long-polls).
    caf::reacts_to<long_poll_atom>,
    // The request ended: a new document goes to the timer, then the next request.
    caf::reacts_to<long_poll_atom, long_poll_outcome>>;

}  // namespace em
