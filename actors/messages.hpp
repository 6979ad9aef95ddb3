#pragma once

// The typed messages the actors exchange. They carry core types and never
// leave the process, so they are declared safe to pass without serialization.

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/log/log_record.hpp"
#include "core/model/mitigation_document.hpp"
#include "core/notify/notification.hpp"
#include "core/store/store.hpp"
#include "core/util/time_util.hpp"

namespace em {

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using verify_atom = caf::atom_constant<caf::atom("verify")>;
using apply_atom = caf::atom_constant<caf::atom("apply")>;
using log_atom = caf::atom_constant<caf::atom("log")>;
using event_atom = caf::atom_constant<caf::atom("event")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using notify_atom = caf::atom_constant<caf::atom("notify")>;
using long_poll_atom = caf::atom_constant<caf::atom("longpoll")>;
// SPEC 11: a watched setting changed; decide again over the last accepted document.
using settings_atom = caf::atom_constant<caf::atom("settings")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;

// What the fetcher hands the verifier: the raw bytes, unparsed.
struct fetched_document {
  std::string source;  // the URL it came from
  std::string bytes;
  std::string etag;  // the server's ETag, empty when none
};

// What the verifier hands the policy: a model built from verified bytes only.
struct verified_document {
  std::string source;
  mitigation_document document;
  std::string digest;
  std::string signer_subject;
  std::string bytes;  // the signed document as fetched, kept as the last good one
  std::string etag;
};

// The outcome of one check cycle, returned to whoever asked for it.
struct cycle_report {
  sys_time finished{};
  std::string result;                // "Completed", or why nothing was applied
  std::vector<std::string> applied;  // MitigationsApplied after the cycle
  std::vector<action_status> statuses;
};

// How one long-poll of the feed ended (SPEC 12), as the long-poll actor hears it.
struct long_poll_outcome {
  std::string failure;  // why there is no answer ("Timeout: …"); empty when there is one
  int status = 0;       // 200, 304, …
  std::string etag;
  std::string bytes;  // the document, on 200
  // The server's Preference-Applied wait; nullopt: it does not long-poll.
  std::optional<std::chrono::seconds> applied_wait;
  std::chrono::milliseconds elapsed{0};
};

}  // namespace em

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::fetched_document)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::verified_document)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::cycle_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::log_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::event_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::notification)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(em::long_poll_outcome)
