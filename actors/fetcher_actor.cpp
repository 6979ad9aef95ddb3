#include "actors/fetcher_actor.hpp"

#include "actors/errors.hpp"
#include "core/fetch/file_source.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

using self_ptr = fetcher_actor::stateful_pointer<fetcher_state>;

void log(self_ptr self, log_level level, std::string message) {
  self->send(self->state.audit, log_atom::value,
             log_record{log_operation::fetch_mitigation, level, std::move(message)});
}

// The bytes, or the one-line reason they could not be had.
std::pair<std::string, std::string> fetch_bytes(const fetch_settings& s) {
  if (s.url.rfind("https://", 0) == 0)
    return {{}, "https:// feeds are not supported by this build yet; use a file:// URL"};
  try {
    return {fetch_file_url(s.url, s.max_size), {}};
  } catch (const error& e) {
    return {{}, e.what()};
  }
}

caf::result<cycle_report> run_cycle(self_ptr self) {
  const auto& s = self->state.settings;
  log(self, log_level::information, "Fetching mitigations from " + s.url);
  auto [bytes, reason] = fetch_bytes(s);
  if (!reason.empty()) {
    auto message = "Unable to fetch mitigations from " + s.url + ": " + reason;
    log(self, log_level::error, message);
    self->send(self->state.audit, event_atom::value,
               event_record{1008, log_operation::fetch_mitigation, log_level::error, message});
    return make_error(cycle_errc::fetch_failed, reason);
  }
  log(self, log_level::information,
      "Fetched " + std::to_string(bytes.size()) + " bytes from " + s.url);
  return self->delegate(self->state.verifier, verify_atom::value,
                        fetched_document{s.url, std::move(bytes), {}});
}

}  // namespace

fetcher_actor::behavior_type fetcher(fetcher_actor::stateful_pointer<fetcher_state> self,
                                     fetch_settings settings, verifier_actor verifier,
                                     audit_actor audit) {
  self->state.settings = std::move(settings);
  self->state.verifier = std::move(verifier);
  self->state.audit = std::move(audit);
  return {
      [=](run_atom) -> caf::result<cycle_report> { return run_cycle(self); },
  };
}

}  // namespace em
