#include "actors/timer_actor.hpp"

#include "actors/errors.hpp"

namespace em {
namespace {

using self_ptr = timer_actor::stateful_pointer<timer_state>;

std::chrono::milliseconds next_delay(self_ptr self) {
  auto& s = self->state.settings;
  auto delay = s.interval;
  if (s.jitter.count() > 0) {
    std::uniform_int_distribution<std::int64_t> pick(0, s.jitter.count());
    delay += std::chrono::milliseconds(pick(self->state.rng));
  }
  return delay;
}

void log(self_ptr self, log_level level, std::string message) {
  self->send(self->state.audit, log_atom::value,
             log_record{log_operation::fetch_mitigation, level, std::move(message)});
}

// Starts a cycle and calls `done` with its outcome; the busy flag brackets it.
template <class OnReport, class OnError>
void start_cycle(self_ptr self, OnReport on_report, OnError on_error) {
  self->state.busy = true;
  ++self->state.cycles_started;
  self->request(self->state.fetcher, caf::infinite, run_atom::value)
      .then(
          [=](const cycle_report& report) mutable {
            self->state.busy = false;
            on_report(report);
          },
          [=](caf::error& err) mutable {
            self->state.busy = false;
            on_error(err);
          });
}

void on_tick(self_ptr self) {
  // Schedule the next tick first so the cadence does not drift with cycle length.
  self->delayed_send(self, next_delay(self), tick_atom::value);
  if (self->state.busy) {
    ++self->state.ticks_skipped;
    log(self, log_level::warning, "The previous check cycle is still running: this one is skipped");
    return;
  }
  start_cycle(
      self, [](const cycle_report&) {}, [](const caf::error&) {});
}

caf::result<cycle_report> run_now(self_ptr self) {
  if (self->state.busy) return make_error(cycle_errc::busy, "a check cycle is already running");
  auto promise = self->make_response_promise<cycle_report>();
  start_cycle(
      self, [=](const cycle_report& report) mutable { promise.deliver(report); },
      [=](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

}  // namespace

timer_actor::behavior_type timer(timer_actor::stateful_pointer<timer_state> self,
                                 timer_settings settings, fetcher_actor fetcher,
                                 audit_actor audit) {
  self->state.settings = settings;
  self->state.fetcher = std::move(fetcher);
  self->state.audit = std::move(audit);
  self->state.rng.seed(settings.seed);
  if (settings.scheduled) self->delayed_send(self, settings.initial_delay, tick_atom::value);
  return {
      [=](tick_atom) { on_tick(self); },
      [=](run_atom) -> caf::result<cycle_report> { return run_now(self); },
  };
}

}  // namespace em
