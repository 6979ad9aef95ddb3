#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"
#include "core/trust/document_verifier.hpp"

namespace em {

// One verification to do: the raw bytes and the time certificates are checked at.
struct verify_job {
  std::string bytes;
  sys_time at;
};

using verification_worker_actor =
    caf::typed_actor<caf::replies_to<verify_atom, verify_job>::with<verification>>;

struct verification_worker_state {
  static inline const char* name = "verification-worker";
};

// Runs one document_verifier::verify and quits. The verifier actor spawns one
// per document, on a thread of its own, and waits for it no longer than
// trust.verify_timeout: a worker it stopped waiting for finishes on its own
// (the document limits bound how long), its answer dropped. `running` counts
// the workers that have not finished yet; the worker lowers it when it has.
verification_worker_actor::behavior_type verification_worker(
    verification_worker_actor::stateful_pointer<verification_worker_state> self,
    std::shared_ptr<const document_verifier> verifier, std::shared_ptr<std::atomic<int>> running);

}  // namespace em

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::verify_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::verification)
