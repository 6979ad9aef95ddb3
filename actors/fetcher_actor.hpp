#pragma once

#include <cstdint>
#include <string>

#include "actors/interfaces.hpp"

namespace em {

struct fetch_settings {
  std::string url;
  std::uint64_t max_size = 1024 * 1024;
};

struct fetcher_state {
  static inline const char* name = "fetcher";
  fetch_settings settings;
  verifier_actor verifier;
  audit_actor audit;
};

// SPEC 4 step 1: gets the document's bytes and hands them to the verifier,
// which answers the cycle. A fetch failure ends the cycle with
// cycle_errc::fetch_failed, logged and reported as event 1008.
fetcher_actor::behavior_type fetcher(fetcher_actor::stateful_pointer<fetcher_state> self,
                                     fetch_settings settings, verifier_actor verifier,
                                     audit_actor audit);

}  // namespace em
