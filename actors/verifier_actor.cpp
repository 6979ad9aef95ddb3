#include "actors/verifier_actor.hpp"

#include "actors/errors.hpp"
#include "core/policy/sequence_check.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

using self_ptr = verifier_actor::stateful_pointer<verifier_state>;

void log(self_ptr self, log_level level, std::string message) {
  self->send(self->state.audit, log_atom::value,
             log_record{log_operation::verify_mitigation, level, std::move(message)});
}

void report_error(self_ptr self, std::string message) {
  log(self, log_level::error, message);
  self->send(
      self->state.audit, event_atom::value,
      event_record{1008, log_operation::verify_mitigation, log_level::error, std::move(message)});
}

// The freshness rule needs this server's history, which only the store has.
std::string freshness_reason(self_ptr self, const verification& v) {
  auto server = self->state.state->find_server(self->state.settings.server_name);
  accepted_state accepted;
  if (server) accepted = {server->highest_sequence, server->accepted_digest};
  return check_sequence(v.document.sequence, v.digest, accepted,
                        self->state.settings.require_sequence);
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

caf::result<cycle_report> verify_document(self_ptr self, const fetched_document& fetched) {
  auto v = self->state.verifier->verify(fetched.bytes, self->state.clock());
  if (v.verified) {
    try {
      if (auto why = freshness_reason(self, v); !why.empty()) {
        v.verified = false;
        v.reason = why;
      }
    } catch (const error& e) {
      report_error(self, std::string("Cannot read the accepted sequence: ") + e.what());
      return make_error(cycle_errc::internal, e.what());
    }
  }
  if (!v.verified) {
    report_error(self, "Rejected the mitigation document from " + fetched.source + ": " + v.reason);
    return make_error(cycle_errc::rejected, v.reason);
  }
  log(self, log_level::information,
      "Verified the mitigation document from " + fetched.source + ": " + summary(v));
  for (const auto& r : v.document.rejected)
    report_error(self, "Rejected Config '" + r.id + "' of the document: " + r.reason);
  return self->delegate(self->state.policy, apply_atom::value,
                        verified_document{fetched.source, std::move(v.document), v.digest,
                                          v.signer_subject, fetched.bytes, fetched.etag});
}

}  // namespace

verifier_actor::behavior_type verifier(verifier_actor::stateful_pointer<verifier_state> self,
                                       std::shared_ptr<const document_verifier> verifier,
                                       std::shared_ptr<store> state, verifier_settings settings,
                                       policy_actor policy, audit_actor audit,
                                       clock_function clock) {
  self->state.verifier = std::move(verifier);
  self->state.state = std::move(state);
  self->state.settings = std::move(settings);
  self->state.policy = std::move(policy);
  self->state.audit = std::move(audit);
  self->state.clock = std::move(clock);
  return {
      [=](verify_atom, const fetched_document& doc) -> caf::result<cycle_report> {
        return verify_document(self, doc);
      },
  };
}

}  // namespace em
