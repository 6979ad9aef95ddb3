#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <caf/actor_clock.hpp>

#include "actors/interfaces.hpp"
#include "core/config/service_config.hpp"
#include "core/fetch/long_poll_client.hpp"
#include "core/store/store.hpp"

namespace boost::asio {
class io_context;
}

namespace em {

struct long_poll_settings {
  std::string server_name;  // whose proxy and last accepted document apply
  std::string url;          // the feed
  std::chrono::seconds wait{300};
  // Without a document to name, the first request waits this long (the
  // schedule's initial delay), so a restart does not fetch at once.
  std::chrono::milliseconds first_delay{0};
  // Failures back off from a second, doubling, up to this (the schedule's interval).
  std::chrono::milliseconds max_backoff{60 * 60'000};
  // A new document sooner than this after the request is a quick answer: the
  // first is asked about again at once, the ones in a row after it more and
  // more slowly (1 s, doubling), so a feed that changes at every request
  // cannot make a loop.
  std::chrono::milliseconds quick{1000};

  static long_poll_settings from_config(const service_config& config);
};

// Sends one long-poll request for the actor and, from whatever thread it
// ends on, hands the outcome to `done`. `proxy` is the server's
// InternetWebProxy, or empty.
using long_poll_transport =
    std::function<void(const long_poll_request& request, const std::string& proxy,
                       std::function<void(long_poll_outcome)> done)>;

struct long_poll_state {
  static inline const char* name = "long_poll";
  long_poll_settings settings;
  long_poll_transport transport;
  std::shared_ptr<em::store> store;
  timer_actor timer;
  audit_actor audit;
  std::string etag;             // what the next request names: the newest document seen
  bool out = false;             // a request is on its way
  bool given_up = false;        // the feed does not long-poll: the schedule alone checks it
  unsigned failures = 0;        // failed requests in a row
  unsigned early_answers = 0;   // 304s much sooner than the wait the feed applied, in a row
  unsigned quick_answers = 0;   // new documents sooner than settings.quick, in a row
  std::uint64_t requests = 0;   // sent since start
  std::uint64_t documents = 0;  // handed to the timer
};

// SPEC 12: keeps one long-poll request open on the feed, between and besides
// the timer's scheduled checks. A new document (200) goes to the timer, which
// checks it at once; then the next request names it. A feed that answers
// without Preference-Applied does not long-poll: logged once, and the
// schedule alone checks it from then on. Failures back off (1 s doubling up
// to max_backoff); so do a feed answering 304 far sooner than its applied
// wait and one with a new document at every request: no answer makes a busy
// loop.
long_poll_actor::behavior_type long_poll(long_poll_actor::stateful_pointer<long_poll_state> self,
                                         long_poll_settings settings, long_poll_transport transport,
                                         std::shared_ptr<em::store> store, timer_actor timer,
                                         audit_actor audit);

// The io_context emsd's main thread runs, for as long as it runs: the
// transport posts requests into it from the actor's thread, and emsd closes
// the gate (ioc = nullptr) before the io_context goes away.
struct io_gate {
  std::mutex mutex;
  boost::asio::io_context* ioc = nullptr;
};

// The transport emsd uses: start_long_poll through `gate`, with the [feed]
// section's limits and CA file. Any thread may call it.
long_poll_transport long_poll_transport_on(std::shared_ptr<io_gate> gate, const feed_section& feed);

}  // namespace em
