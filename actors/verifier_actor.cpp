#include "actors/verifier_actor.hpp"

#include "actors/errors.hpp"
#include "actors/verification_worker.hpp"
#include "core/policy/sequence_check.hpp"
#include "core/policy/sequence_floor.hpp"
#include "core/util/duration.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

using self_ptr = verifier_actor::stateful_pointer<verifier_state>;

void log(self_ptr self, log_level level, std::string message) {
  send_log(self, self->state.audit, log_operation::verify_mitigation, level, std::move(message));
}

void report_error(self_ptr self, std::string message) {
  send_error(self, self->state.audit, log_operation::verify_mitigation, std::move(message));
}

// The freshness rule needs this server's history, which only the store has,
// and the organisation's floor (SPEC 11).
std::string freshness_reason(self_ptr self, const verification& v) {
  const auto fleet = fleet_accepted_state(*self->state.store, self->state.settings.server_name,
                                          *self->state.verifier, self->state.clock());
  if (!fleet.ignored.empty())
    log(self, log_level::warning, "Ignoring the organisation's sequence floor, " + fleet.ignored);
  auto why = check_sequence(v.document.sequence, v.digest, fleet.accepted,
                            self->state.settings.require_sequence);
  if (!why.empty() && !fleet.from_server.empty())
    why += " (by server " + fleet.from_server + " of the organisation)";
  return why;
}

std::string summary(const verification& v) {
  std::string s = "sequence " + (v.document.sequence ? std::to_string(*v.document.sequence)
                                                     : std::string("none"));
  s += ", signed by " + v.signer_subject + "; " + std::to_string(v.document.mitigations.size()) +
       " mitigation(s)";
  std::string sep = ": ";
  for (const auto& m : v.document.mitigations) {
    s += sep + m.id;
    sep = ", ";
  }
  return s;
}

using promise_type = caf::typed_response_promise<cycle_report>;

verification_worker_actor spawn_worker(self_ptr self) {
  auto& st = self->state;
  ++*st.running;
  if (st.settings.own_thread)
    return self->spawn<caf::detached>(verification_worker, st.verifier, st.running);
  return self->spawn(verification_worker, st.verifier, st.running);
}

void on_verified(self_ptr self, const fetched_document& fetched, verification v,
                 promise_type promise) {
  if (v.verified) {
    try {
      if (auto why = freshness_reason(self, v); !why.empty()) {
        v.verified = false;
        v.reason = why;
      }
    } catch (const store_unavailable& e) {
      report_error(self, e.what());
      promise.deliver(make_error(cycle_errc::store_unavailable, e.what()));
      return;
    } catch (const error& e) {
      report_error(self, std::string("Cannot read the accepted sequence: ") + e.what());
      promise.deliver(make_error(cycle_errc::internal, e.what()));
      return;
    }
  }
  if (!v.verified) {
    report_error(self, "Rejected the mitigation document from " + fetched.source + ": " + v.reason);
    promise.deliver(make_error(cycle_errc::rejected, v.reason));
    return;
  }
  log(self, log_level::information,
      "Verified the mitigation document from " + fetched.source + ": " + summary(v));
  for (const auto& r : v.document.rejected)
    report_error(self, "Rejected Config '" + r.id + "' of the document: " + r.reason);
  promise.delegate(self->state.policy, apply_atom::value,
                   verified_document{fetched.source, std::move(v.document), v.digest,
                                     v.signer_subject, fetched.bytes, fetched.etag});
}

void on_worker_error(self_ptr self, const fetched_document& fetched, const caf::error& err,
                     promise_type promise) {
  if (err != caf::sec::request_timeout) {
    const std::string why = "the verification of the document from " + fetched.source +
                            " failed: " + caf::to_string(err);
    report_error(self, why);
    promise.deliver(make_error(cycle_errc::internal, why));
    return;
  }
  const std::string why = "verification timed out after " +
                          format_duration(self->state.settings.timeout) + " (trust.verify_timeout)";
  report_error(self,
               "Abandoned the check cycle on the document from " + fetched.source + ": " + why);
  promise.deliver(make_error(cycle_errc::timed_out, why));
}

caf::result<cycle_report> verify_document(self_ptr self, fetched_document fetched) {
  auto& st = self->state;
  // The worker being waited for is not counted: none is, between two cycles.
  if (const int abandoned = st.running->load(); abandoned >= st.settings.max_abandoned) {
    const std::string why = "verification not started: " + std::to_string(abandoned) +
                            " earlier verification(s) abandoned after trust.verify_timeout " +
                            "are still running";
    report_error(self,
                 "Abandoned the check cycle on the document from " + fetched.source + ": " + why);
    return make_error(cycle_errc::timed_out, why);
  }
  auto promise = self->make_response_promise<cycle_report>();
  const auto at = st.clock();
  std::string bytes = fetched.bytes;
  auto answer = self->request(spawn_worker(self), st.settings.timeout, verify_atom::value,
                              verify_job{std::move(bytes), at});
  // CAF 0.17 leaves the timeout set when the answer comes first: it would
  // wake the daemon trust.verify_timeout after every cycle (SPEC 12).
  const auto id = answer.id();
  answer.then(
      [=](verification& v) mutable {
        self->clock().cancel_request_timeout(self, id);
        on_verified(self, fetched, std::move(v), promise);
      },
      [=](caf::error& err) mutable {
        self->clock().cancel_request_timeout(self, id);
        on_worker_error(self, fetched, err, promise);
      });
  return promise;
}

}  // namespace

verifier_actor::behavior_type verifier(verifier_actor::stateful_pointer<verifier_state> self,
                                       std::shared_ptr<const document_verifier> verifier,
                                       std::shared_ptr<em::store> store, verifier_settings settings,
                                       policy_actor policy, audit_actor audit,
                                       clock_function clock) {
  self->state.verifier = std::move(verifier);
  self->state.store = std::move(store);
  self->state.settings = std::move(settings);
  self->state.policy = std::move(policy);
  self->state.audit = std::move(audit);
  self->state.clock = std::move(clock);
  return {
      [=](verify_atom, fetched_document& doc) -> caf::result<cycle_report> {
        return verify_document(self, std::move(doc));
      },
  };
}

}  // namespace em
