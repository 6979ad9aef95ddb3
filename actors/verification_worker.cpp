#include "actors/verification_worker.hpp"

namespace em {

verification_worker_actor::behavior_type verification_worker(
    verification_worker_actor::stateful_pointer<verification_worker_state> self,
    std::shared_ptr<const document_verifier> verifier, std::shared_ptr<std::atomic<int>> running) {
  return {
      [=](verify_atom, const verify_job& job) -> verification {
        // verify never throws: every failure is a reason.
        verification v = verifier->verify(job.bytes, job.at);
        --*running;
        self->quit();
        return v;
      },
  };
}

}  // namespace em
