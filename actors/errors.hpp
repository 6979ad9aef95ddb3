#pragma once

#include <caf/atom.hpp>
#include <caf/error.hpp>

#include <cstdint>
#include <string>

namespace em {

// Why a cycle stopped before the policy step; the error's context carries the
// one-line reason shown to the operator.
enum class cycle_errc : std::uint8_t {
  fetch_failed = 1,
  rejected,
  busy,               // a cycle is already running
  internal,           // a bug or an unusable store; the reason says which
  timed_out,          // the verification took longer than trust.verify_timeout
  store_unavailable,  // SPEC 11: no etcd member answered; tried again with backoff
  no_document,        // a decision pass before any document was accepted
};

inline constexpr caf::atom_value cycle_error_category = caf::atom("emcycle");

caf::error make_error(cycle_errc code, std::string reason);

// The reason carried by an error made with make_error, or CAF's own text.
std::string reason_of(const caf::error& err);

}  // namespace em
