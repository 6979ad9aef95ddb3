#include "actors/fetcher_actor.hpp"

#include <optional>

#include "actors/audit_actor.hpp"
#include "actors/errors.hpp"
#include "core/fetch/diagnostics_report.hpp"
#include "core/fetch/feed_client.hpp"
#include "core/fetch/file_source.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

using self_ptr = fetcher_actor::stateful_pointer<fetcher_state>;

void log(self_ptr self, log_level level, std::string message,
         log_operation op = log_operation::fetch_mitigation) {
  send_log(self, self->state.audit, op, level, std::move(message));
}

void report_error(self_ptr self, std::string message) {
  send_error(self, self->state.audit, log_operation::fetch_mitigation, std::move(message));
}

// What this cycle needs from the store, read fresh each cycle so an
// administrator's `set-server --internet-web-proxy` applies on the next one.
struct server_view {
  std::string proxy;
  std::optional<stored_document> last;  // the last accepted document, from this same URL
};

server_view read_server(self_ptr self) {
  const auto& s = self->state.settings;
  server_view v;
  if (auto server = self->state.store->find_server(s.server_name))
    v.proxy = server->internet_web_proxy;
  if (auto doc = self->state.store->load_document(s.server_name); doc && doc->source == s.feed.url)
    v.last = std::move(doc);
  return v;
}

std::string etag_of(const server_view& v) {
  return v.last ? v.last->etag : std::string();
}

void log_not_modified(self_ptr self, const stored_document& last) {
  log(self, log_level::information,
      "The mitigation document at " + last.source + " is not modified (ETag " + last.etag +
          "): using the last accepted document, fetched " + format_rfc3339(last.fetched_at) +
          ", and verifying it again locally in case a certificate expired or was revoked since");
}

diagnostics_report make_report(self_ptr self, const std::string& result,
                               const server_record& server) {
  const auto& s = self->state.settings;
  diagnostics_report r;
  r.at = std::chrono::system_clock::now();
  r.server_name = s.server_name;
  r.organization_id = self->state.store->get_org().organization_id;
  r.product = s.product;
  r.build = s.build;
  r.service_state = s.once ? "RunOnce" : "Running";
  r.last_result = result;
  r.applied = server.applied;
  r.blocked = server.blocked;
  return r;
}

// SPEC 4 step 6. A failure here is logged and changes nothing of the cycle.
void send_diagnostics_after(self_ptr self, const std::string& result, const std::string& proxy) {
  const auto& s = self->state.settings;
  auto info = [&](std::string m) {
    log(self, log_level::information, std::move(m), log_operation::send_diagnostics);
  };
  try {
    auto server = self->state.store->find_server(s.server_name);
    if (!server || !server->data_collection_enabled)
      return info("No diagnostic data sent. DataCollectionEnabled is false");
    if (s.feed.diagnostics_url.empty())
      return info("No diagnostic data sent. feed.diagnostics_url is not set");
    auto json = make_report(self, result, *server).to_json();
    send_diagnostics(s.feed.diagnostics_url, json, feed_http_options(s.feed, proxy), s.transport);
    info("Sent diagnostic data to " + s.feed.diagnostics_url + ": " + json);
  } catch (const std::exception& e) {  // em::error, or anything else: nothing may escape
    log(self, log_level::error,
        "Unable to send diagnostic data to " + s.feed.diagnostics_url + ": " + e.what(),
        log_operation::send_diagnostics);
  }
}

// Asks the verifier (rather than delegating) so the diagnostics can follow
// the cycle's outcome before the requester hears it.
caf::result<cycle_report> verify_and_answer(self_ptr self, fetched_document doc,
                                            std::string proxy) {
  auto promise = self->make_response_promise<cycle_report>();
  self->request(self->state.verifier, caf::infinite, verify_atom::value, std::move(doc))
      .then(
          [=](cycle_report& report) mutable {
            send_diagnostics_after(self, report.result, proxy);
            promise.deliver(std::move(report));
          },
          [=](caf::error& err) mutable {
            send_diagnostics_after(self, reason_of(err), proxy);
            promise.deliver(std::move(err));
          });
  return promise;
}

caf::error fetch_failed(self_ptr self, const std::string& kind, const std::string& reason) {
  const auto& url = self->state.settings.feed.url;
  auto n = ++self->state.failures_in_a_row;
  report_error(self, "Unable to fetch mitigations from " + url + " (" + kind + "): " + reason +
                         (n > 1 ? " [" + std::to_string(n) + " failures in a row]" : ""));
  // The feed did not answer: a diagnostics POST would most likely fail the same way.
  log(self, log_level::information, "No diagnostic data sent: the fetch failed",
      log_operation::send_diagnostics);
  return make_error(cycle_errc::fetch_failed, reason);
}

// The store's view for this cycle, or the error that ends it.
caf::error read_view(self_ptr self, server_view& view) {
  try {
    view = read_server(self);
    return {};
  } catch (const store_unavailable& e) {  // SPEC 11: nothing fetched, nothing applied
    report_error(self, e.what());
    return make_error(cycle_errc::store_unavailable, e.what());
  } catch (const std::exception& e) {
    auto message = std::string("Cannot read this server's settings from the store: ") + e.what();
    report_error(self, message);
    return make_error(cycle_errc::internal, message);
  }
}

caf::result<cycle_report> run_cycle(self_ptr self) {
  const auto& s = self->state.settings;
  server_view view;
  if (auto err = read_view(self, view)) return err;
  log(self, log_level::information, "Fetching mitigations from " + s.feed.url);
  const bool remote = !path_from_file_url(s.feed.url);
  if (remote && !view.proxy.empty())
    log(self, log_level::information, "Using Proxy " + view.proxy + " To Fetch Configurations");
  feed_response res;
  try {
    res = fetch_feed(s.feed.url, etag_of(view), feed_http_options(s.feed, view.proxy), s.transport);
  } catch (const fetch_error& e) {
    return fetch_failed(self, to_string(e.failure()), e.what());
  } catch (const error& e) {
    return fetch_failed(self, "File", e.what());
  } catch (const std::exception& e) {  // nothing may escape a handler
    return fetch_failed(self, "Internal", e.what());
  }
  self->state.failures_in_a_row = 0;
  if (res.not_modified) {
    log_not_modified(self, *view.last);
    return verify_and_answer(self, fetched_document{s.feed.url, view.last->bytes, view.last->etag},
                             view.proxy);
  }
  log(self, log_level::information,
      "Fetched " + std::to_string(res.bytes.size()) + " bytes from " + s.feed.url +
          (res.etag.empty() ? "" : " (ETag " + res.etag + ")"));
  return verify_and_answer(
      self, fetched_document{s.feed.url, std::move(res.bytes), std::move(res.etag)}, view.proxy);
}

// SPEC 12: a long-poll already brought the bytes; fetching them again would
// only add a round trip. Everything after the fetch is the same.
caf::result<cycle_report> run_cycle_on(self_ptr self, fetched_document doc) {
  server_view view;
  if (auto err = read_view(self, view)) return err;
  self->state.failures_in_a_row = 0;
  log(self, log_level::information,
      "Received " + std::to_string(doc.bytes.size()) + " bytes from " + doc.source +
          " by long-poll" + (doc.etag.empty() ? "" : " (ETag " + doc.etag + ")") +
          ": checking them now");
  return verify_and_answer(self, std::move(doc), view.proxy);
}

// SPEC 11: after a watched setting changed, the last accepted document goes
// through the verifier and the policy again, as after a 304: nothing is
// fetched and no diagnostics are sent.
caf::result<cycle_report> replay_last(self_ptr self) {
  const auto& s = self->state.settings;
  std::optional<stored_document> last;
  try {
    last = self->state.store->load_document(s.server_name);
  } catch (const store_unavailable& e) {
    report_error(self, e.what());
    return make_error(cycle_errc::store_unavailable, e.what());
  } catch (const std::exception& e) {
    auto message =
        std::string("Cannot read the last accepted document from the store: ") + e.what();
    report_error(self, message);
    return make_error(cycle_errc::internal, message);
  }
  if (!last) {
    log(self, log_level::information,
        "No document has been accepted on " + s.server_name +
            " yet: the new settings apply from the first check");
    return make_error(cycle_errc::no_document, "no document accepted yet");
  }
  log(self, log_level::information,
      "Deciding again over the last accepted document, from " + last->source + ", fetched " +
          format_rfc3339(last->fetched_at) + " (nothing is fetched)");
  return self->delegate(self->state.verifier, verify_atom::value,
                        fetched_document{last->source, last->bytes, last->etag});
}

}  // namespace

fetch_settings fetch_settings::from_config(const service_config& config, bool once) {
  fetch_settings s;
  s.server_name = config.server.name;
  s.product = config.server.product;
  s.build = config.server.build;
  s.feed = config.feed;
  s.once = once;
  return s;
}

fetcher_actor::behavior_type fetcher(fetcher_actor::stateful_pointer<fetcher_state> self,
                                     fetch_settings settings, std::shared_ptr<em::store> store,
                                     verifier_actor verifier, audit_actor audit) {
  self->state.settings = std::move(settings);
  self->state.store = std::move(store);
  self->state.verifier = std::move(verifier);
  self->state.audit = std::move(audit);
  return {
      [=](run_atom) -> caf::result<cycle_report> { return run_cycle(self); },
      [=](replay_atom) -> caf::result<cycle_report> { return replay_last(self); },
      [=](run_atom, fetched_document& doc) -> caf::result<cycle_report> {
        return run_cycle_on(self, std::move(doc));
      },
  };
}

}  // namespace em
