#include "actors/long_poll_actor.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "core/fetch/feed_client.hpp"
#include "core/fetch/retry_backoff.hpp"
#include "core/util/duration.hpp"

namespace em {
namespace {

using self_ptr = long_poll_actor::stateful_pointer<long_poll_state>;
using std::chrono::milliseconds;

void log(self_ptr self, log_level level, std::string message) {
  self->send(self->state.audit, log_atom::value,
             log_record{log_operation::fetch_mitigation, level, std::move(message)});
}

std::string seconds_text(milliseconds d) {
  return format_duration(std::chrono::duration_cast<std::chrono::seconds>(d));
}

// The ETag of the last document this server accepted from this feed.
std::string stored_etag(self_ptr self) {
  try {
    auto doc = self->state.store->load_document(self->state.settings.server_name);
    if (doc && doc->source == self->state.settings.url) return doc->etag;
  } catch (const std::exception&) {
    // An unreadable store: ask without a name; the cycle that follows says what is wrong.
  }
  return {};
}

std::string stored_proxy(self_ptr self) {
  try {
    if (auto server = self->state.store->find_server(self->state.settings.server_name))
      return server->internet_web_proxy;
  } catch (const std::exception&) {
  }
  return {};
}

void send_request(self_ptr self) {
  auto& st = self->state;
  if (st.given_up || st.out) return;
  if (st.etag.empty()) st.etag = stored_etag(self);
  st.out = true;
  ++st.requests;
  caf::weak_actor_ptr weak = caf::actor_cast<caf::weak_actor_ptr>(self->ctrl());
  st.transport({st.settings.url, st.etag, st.settings.wait}, stored_proxy(self),
               [weak](long_poll_outcome outcome) {
                 if (auto strong = caf::actor_cast<caf::strong_actor_ptr>(weak))
                   caf::anon_send(caf::actor_cast<long_poll_actor>(strong), long_poll_atom::value,
                                  std::move(outcome));
               });
}

void again_after(self_ptr self, milliseconds delay) {
  self->delayed_send(self, delay, long_poll_atom::value);
}

milliseconds backoff(self_ptr self, unsigned in_a_row) {
  return retry_delay(in_a_row, self->state.settings.max_backoff, std::chrono::seconds(1));
}

void give_up(self_ptr self, const long_poll_outcome& o) {
  self->state.given_up = true;
  log(self, log_level::information,
      "The feed at " + self->state.settings.url + " does not long-poll (it answered " +
          std::to_string(o.status) + " after " + seconds_text(o.elapsed) +
          " without Preference-Applied): it is checked on schedule only");
}

void on_failure(self_ptr self, const std::string& why) {
  auto& st = self->state;
  auto delay = backoff(self, ++st.failures);
  // The first failure of a run is worth a warning; the rest would only repeat it.
  log(self, st.failures == 1 ? log_level::warning : log_level::debug,
      "The long-poll of " + st.settings.url + " failed (" + why + "); trying again in " +
          format_duration(delay) +
          (st.failures > 1 ? " [" + std::to_string(st.failures) + " failures in a row]" : ""));
  again_after(self, delay);
}

void on_new_document(self_ptr self, long_poll_outcome& o) {
  auto& st = self->state;
  ++st.documents;
  log(self, log_level::information,
      "The feed has a new document (ETag " + o.etag + ", after a wait of " +
          seconds_text(o.elapsed) + "): checking it now");
  st.etag = o.etag;
  self->send(st.timer, run_atom::value,
             fetched_document{st.settings.url, std::move(o.bytes), std::move(o.etag)});
  st.quick_answers = o.elapsed < st.settings.quick ? st.quick_answers + 1 : 0;
  if (st.quick_answers <= 1) return send_request(self);
  again_after(self, backoff(self, st.quick_answers - 1));
}

void on_outcome(self_ptr self, long_poll_outcome& o) {
  auto& st = self->state;
  st.out = false;
  if (!o.failure.empty()) return on_failure(self, o.failure);
  if (o.status != 200 && o.status != 304)
    return on_failure(self, "HTTP status " + std::to_string(o.status));
  if (st.failures > 0) {
    log(self, log_level::information,
        "The long-poll of " + st.settings.url + " works again after " +
            std::to_string(st.failures) + " failure(s)");
    st.failures = 0;
  }
  if (!o.applied_wait || o.applied_wait->count() == 0) return give_up(self, o);
  // A 200 without an ETag, or with the one asked about, names nothing to
  // wait on next: asking again would be answered at once, forever.
  if (o.status == 200 && !o.etag.empty() && o.etag != st.etag) {
    st.early_answers = 0;
    return on_new_document(self, o);
  }
  if (o.status == 200) {
    st.given_up = true;
    log(self, log_level::warning,
        "The feed at " + st.settings.url +
            " answers a long-poll with its document but no new ETag: it is checked on schedule "
            "only");
    return;
  }
  // 304. One far sooner than the wait the feed applied did not wait at all.
  if (o.elapsed < std::chrono::duration_cast<milliseconds>(*o.applied_wait) / 2) {
    auto delay = backoff(self, ++st.early_answers);
    if (st.early_answers == 1)
      log(self, log_level::warning,
          "The feed at " + st.settings.url + " answered a long-poll after " +
              seconds_text(o.elapsed) + " instead of up to " + format_duration(*o.applied_wait) +
              ": asking again more slowly");
    return again_after(self, delay);
  }
  st.early_answers = 0;
  send_request(self);
}

long_poll_outcome to_outcome(const std::optional<fetch_error>& failure, long_poll_response r) {
  long_poll_outcome o;
  o.elapsed = r.elapsed;
  if (failure) {
    o.failure = std::string(to_string(failure->failure())) + ": " + failure->what();
    return o;
  }
  o.status = r.response.status;
  o.etag = std::move(r.response.etag);
  o.bytes = std::move(r.response.body);
  o.applied_wait = r.applied_wait;
  return o;
}

}  // namespace

long_poll_settings long_poll_settings::from_config(const service_config& config) {
  long_poll_settings s;
  s.server_name = config.server.name;
  s.url = config.feed.url;
  s.wait = std::chrono::duration_cast<std::chrono::seconds>(config.schedule.long_poll_wait);
  s.first_delay = config.schedule.initial_delay;
  s.max_backoff = config.schedule.interval;
  return s;
}

long_poll_actor::behavior_type long_poll(long_poll_actor::stateful_pointer<long_poll_state> self,
                                         long_poll_settings settings, long_poll_transport transport,
                                         std::shared_ptr<em::store> store, timer_actor timer,
                                         audit_actor audit) {
  auto& st = self->state;
  st.settings = std::move(settings);
  st.transport = std::move(transport);
  st.store = std::move(store);
  st.timer = std::move(timer);
  st.audit = std::move(audit);
  st.etag = stored_etag(self);
  log(self, log_level::information,
      "Long-poll of " + st.settings.url + " (waits of up to " + format_duration(st.settings.wait) +
          "): a new document is checked as soon as the feed has it" +
          (st.etag.empty() ? ", from " + format_duration(st.settings.first_delay) + " on" : ""));
  // Without a document to name, the feed would answer at once: not before
  // the schedule's first check.
  if (st.etag.empty())
    again_after(self, st.settings.first_delay);
  else
    self->send(self, long_poll_atom::value);
  return {
      [=](long_poll_atom) { send_request(self); },
      [=](long_poll_atom, long_poll_outcome& o) { on_outcome(self, o); },
  };
}

long_poll_transport long_poll_transport_on(std::shared_ptr<io_gate> gate,
                                           const feed_section& feed) {
  return [gate, options = feed_http_options(feed, {})](
             const long_poll_request& request, const std::string& proxy,
             std::function<void(long_poll_outcome)> done) {
    auto o = options;
    o.proxy = proxy;
    std::lock_guard<std::mutex> lock(gate->mutex);
    if (!gate->ioc) return;  // emsd is stopping: nothing more goes out
    auto* ioc = gate->ioc;
    boost::asio::post(*ioc, [ioc, request, o, done = std::move(done)] {
      start_long_poll(*ioc, request, o,
                      [done](const std::optional<fetch_error>& failure, long_poll_response r) {
                        done(to_outcome(failure, std::move(r)));
                      });
    });
  };
}

}  // namespace em
