#include "actors/policy_actor.hpp"

#include "actors/errors.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

using self_ptr = policy_actor::stateful_pointer<policy_state>;

void forward_to_audit(self_ptr self, const cycle_outcome& outcome) {
  for (const auto& record : outcome.logs)
    self->send(self->state.audit, log_atom::value, record);
  for (const auto& event : outcome.events)
    self->send(self->state.audit, event_atom::value, event);
}

caf::result<cycle_report> apply_document(self_ptr self, const verified_document& doc) {
  auto now = self->state.clock();
  try {
    stored_document origin{doc.source, doc.etag, doc.bytes, doc.digest, now};
    auto outcome = self->state.engine->run(doc.document, origin, now);
    forward_to_audit(self, outcome);
    if (self->state.notify)
      if (auto n = cycle_notification(outcome, self->state.engine->identity().name, now))
        self->send(self->state.notify, notify_atom::value, std::move(*n));
    return cycle_report{now, outcome.result, outcome.applied, outcome.statuses};
  } catch (const store_unavailable& e) {  // SPEC 11: read before anything is applied
    send_error(self, self->state.audit, log_operation::apply_mitigation, e.what());
    return make_error(cycle_errc::store_unavailable, e.what());
  } catch (const error& e) {
    auto message = std::string("Cannot record the mitigation cycle: ") + e.what();
    send_error(self, self->state.audit, log_operation::apply_mitigation, message);
    return make_error(cycle_errc::internal, message);
  }
}

}  // namespace

policy_actor::behavior_type policy(policy_actor::stateful_pointer<policy_state> self,
                                   std::shared_ptr<policy_engine> engine, audit_actor audit,
                                   clock_function clock, notify_actor notify) {
  self->state.engine = std::move(engine);
  self->state.audit = std::move(audit);
  self->state.clock = std::move(clock);
  self->state.notify = std::move(notify);
  return {
      [=](apply_atom, const verified_document& doc) -> caf::result<cycle_report> {
        return apply_document(self, doc);
      },
  };
}

}  // namespace em
