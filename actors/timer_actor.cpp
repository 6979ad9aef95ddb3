#include "actors/timer_actor.hpp"

#include "actors/audit_actor.hpp"
#include "actors/errors.hpp"
#include "core/fetch/retry_backoff.hpp"

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
  send_log(self, self->state.audit, log_operation::fetch_mitigation, level, std::move(message));
}

bool is_fetch_failure(const caf::error& err) {
  return err.category() == cycle_error_category &&
         (err.code() == static_cast<std::uint8_t>(cycle_errc::fetch_failed) ||
          err.code() == static_cast<std::uint8_t>(cycle_errc::store_unavailable));
}

void start_pass(self_ptr self);
void start_pending(self_ptr self);

// A failed fetch is tried again before the next tick when backoff says so.
void after_cycle(self_ptr self, const caf::error* err) {
  auto& st = self->state;
  if (st.decide_again) {
    st.decide_again = false;
    start_pass(self);
  }
  if (!err || !is_fetch_failure(*err)) {
    st.fetch_failures = 0;
    return;
  }
  ++st.fetch_failures;
  auto delay = retry_delay(st.fetch_failures, st.settings.interval);
  if (!st.settings.scheduled || self->clock().now() + delay >= st.next_tick) return;
  self->delayed_send(self, delay, retry_atom::value);
}

// Starts a cycle (on `doc` when a long-poll brought one, else fetching) and
// calls `on_report` or `on_error` with its outcome; the busy flag brackets it.
template <class OnReport, class OnError>
void start_cycle(self_ptr self, OnReport on_report, OnError on_error,
                 std::optional<fetched_document> doc = std::nullopt) {
  self->state.busy = true;
  ++self->state.cycles_started;
  auto handle_report = [=](const cycle_report& report) mutable {
    self->state.busy = false;
    after_cycle(self, nullptr);
    on_report(report);
    start_pending(self);
  };
  auto handle_error = [=](caf::error& err) mutable {
    self->state.busy = false;
    after_cycle(self, &err);
    on_error(err);
    start_pending(self);
  };
  if (doc)
    self->request(self->state.fetcher, caf::infinite, run_atom::value, std::move(*doc))
        .then(std::move(handle_report), std::move(handle_error));
  else
    self->request(self->state.fetcher, caf::infinite, run_atom::value)
        .then(std::move(handle_report), std::move(handle_error));
}

void start_pending(self_ptr self) {
  if (self->state.busy || !self->state.pending) return;
  auto doc = std::move(*self->state.pending);
  self->state.pending.reset();
  start_cycle(
      self, [](const cycle_report&) {}, [](const caf::error&) {}, std::move(doc));
}

void on_document(self_ptr self, fetched_document doc) {
  if (self->state.busy) {
    log(self, log_level::information,
        "A new document (ETag " + doc.etag +
            ") arrived while a check cycle runs: it is checked right after that one");
    self->state.pending = std::move(doc);
    return;
  }
  start_cycle(
      self, [](const cycle_report&) {}, [](const caf::error&) {}, std::move(doc));
}

// A decision pass: the fetcher hands the last accepted document to the
// verifier again; it is busy like a cycle, so the two never overlap.
void start_pass(self_ptr self) {
  self->state.busy = true;
  self->request(self->state.fetcher, caf::infinite, replay_atom::value)
      .then(
          [=](const cycle_report&) {
            self->state.busy = false;
            after_cycle(self, nullptr);
            start_pending(self);
          },
          [=](caf::error& err) {
            self->state.busy = false;
            after_cycle(self, &err);
            start_pending(self);
          });
}

void on_settings(self_ptr self, const std::string& what) {
  log(self, log_level::information,
      "A setting changed (" + what + "): deciding again over the last accepted document" +
          (self->state.busy ? " once the cycle in hand ends" : ""));
  if (self->state.busy)
    self->state.decide_again = true;
  else
    start_pass(self);
}

void on_retry(self_ptr self) {
  if (self->state.busy) return;
  log(self, log_level::information,
      "Trying again after " + std::to_string(self->state.fetch_failures) +
          " failed fetch(es) in a row");
  start_cycle(
      self, [](const cycle_report&) {}, [](const caf::error&) {});
}

void on_tick(self_ptr self) {
  // Schedule the next tick first so the cadence does not drift with cycle length.
  auto delay = next_delay(self);
  self->state.next_tick = self->clock().now() + delay;
  self->delayed_send(self, delay, tick_atom::value);
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
  if (settings.scheduled) {
    self->state.next_tick = self->clock().now() + settings.initial_delay;
    self->delayed_send(self, settings.initial_delay, tick_atom::value);
  }
  return {
      [=](tick_atom) { on_tick(self); },
      [=](retry_atom) { on_retry(self); },
      [=](run_atom) -> caf::result<cycle_report> { return run_now(self); },
      [=](settings_atom, const std::string& what) { on_settings(self, what); },
      [=](run_atom, fetched_document& doc) { on_document(self, std::move(doc)); },
  };
}

}  // namespace em
