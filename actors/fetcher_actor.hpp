#pragma once

#include <memory>
#include <string>

#include "actors/interfaces.hpp"
#include "core/config/service_config.hpp"
#include "core/fetch/http_client.hpp"
#include "core/store/store.hpp"

namespace em {

struct fetch_settings {
  std::string server_name;
  std::string product;
  std::string build;
  feed_section feed;
  bool once = false;  // emsd --once: reported as the service state in diagnostics
  // The network; a fake in tests.
  http_transport transport = http_exchange;

  static fetch_settings from_config(const service_config& config, bool once);
};

struct fetcher_state {
  static inline const char* name = "fetcher";
  fetch_settings settings;
  std::shared_ptr<em::store> store;
  verifier_actor verifier;
  audit_actor audit;
  unsigned failures_in_a_row = 0;
};

// SPEC 4 steps 1 and 6, the service's only network actor.
//
// Step 1: reads this server's InternetWebProxy and last accepted document
// from the store, fetches the feed (file://, or https:// with If-None-Match),
// and asks the verifier for the cycle. A 304 hands the verifier the last
// accepted document again: a local check is cheap and catches a certificate
// that expired or was revoked since. A fetch failure ends the cycle with
// cycle_errc::fetch_failed, its class and reason logged, and event 1008.
//
// A long-poll's document (run_atom with a fetched_document) skips step 1's
// fetch and goes to the verifier as it is.
//
// Step 6: once the verifier (and the policy behind it) answered, sends the
// diagnostics when DataCollectionEnabled is true, then answers the requester.
//
// Network calls block for up to feed.timeout, so the service spawns this
// actor detached, on a thread of its own.
fetcher_actor::behavior_type fetcher(fetcher_actor::stateful_pointer<fetcher_state> self,
                                     fetch_settings settings, std::shared_ptr<em::store> store,
                                     verifier_actor verifier, audit_actor audit);

}  // namespace em
