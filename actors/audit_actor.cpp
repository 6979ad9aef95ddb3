#include "actors/audit_actor.hpp"

namespace em {

audit_actor::behavior_type audit(audit_actor::stateful_pointer<audit_state> self,
                                 std::shared_ptr<service_log> log,
                                 std::shared_ptr<event_sink> events, clock_function clock) {
  self->state.log = std::move(log);
  self->state.events = std::move(events);
  self->state.clock = std::move(clock);
  return {
      [=](log_atom, const log_record& record) {
        self->state.log->write(record, self->state.clock());
      },
      [=](event_atom, const event_record& event) {
        self->state.log->write(event, self->state.clock());
        if (self->state.events) self->state.events->send(event);
      },
      [=](flush_atom) {
        self->state.log->flush();
        return true;
      },
  };
}

}  // namespace em
