// A running service's presence in the organisation (SPEC 11): a lease that
// says it is alive, and a watch on the settings it acts on.
#include <unistd.h>

#include <climits>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/store/etcd/etcd_json.hpp"
#include "core/store/etcd/etcd_store.hpp"
#include "core/store/server_settings.hpp"

namespace em {
namespace {

using namespace std::chrono_literals;

// A stopped emsd revokes its lease and shows Offline at once; a crashed one
// within the lease's TTL. Renewals come three times per TTL, so one lost
// renewal is not an outage, and a thousand servers renew 200 times a second.
constexpr std::chrono::seconds lease_ttl{15};
constexpr auto renew_every = 5s;
constexpr auto heartbeat_every = 30s;  // LastSeen, for a server that went Offline
constexpr auto longest_backoff = 10s;
// One watch message holds one small settings value; far more is not etcd.
constexpr std::size_t max_watch_message = 4 * 1024 * 1024;

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? buf : "unknown";
}

// The settings the service acts on, as last seen.
struct watched {
  bool org_enabled = true;
  bool server_enabled = true;
  std::vector<std::string> blocked;
};

class etcd_fleet_session final : public fleet_session {
 public:
  etcd_fleet_session(std::shared_ptr<etcd::client> client, etcd::key_layout keys,
                     std::string server, fleet_callbacks callbacks)
      : client_(std::move(client)),
        keys_(std::move(keys)),
        server_(std::move(server)),
        callbacks_(std::move(callbacks)) {
    keeper_ = std::thread([this] { keep_lease(); });
    watcher_ = std::thread([this] { watch_settings(); });
  }

  ~etcd_fleet_session() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    stream_stop_.stop();
    watcher_.join();
    keeper_.join();
  }

 private:
  void note(const std::string& line, bool problem) {
    if (callbacks_.note) callbacks_.note(line, problem);
  }

  // Waits up to `d`; false when the session is ending.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, d, [this] { return stopping_; });
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  void take_lease(std::int64_t& lease) {
    lease = client_->grant_lease(lease_ttl);
    const auto now = std::chrono::system_clock::now();
    etcd::txn_request txn;
    txn.success = {etcd::put(keys_.live(server_),
                             etcd::encode(etcd::live_value{
                                 host_name(), static_cast<std::int64_t>(::getpid()), now}),
                             lease),
                   etcd::put(keys_.seen(server_), etcd::encode_time(now))};
    client_->txn(txn);
  }

  void heartbeat() {
    etcd::txn_request txn;
    txn.success = {
        etcd::put(keys_.seen(server_), etcd::encode_time(std::chrono::system_clock::now()))};
    client_->txn(txn);
  }

  void keep_lease() {
    std::int64_t lease = 0;
    auto backoff = 1s;
    auto last_beat = std::chrono::steady_clock::now();
    bool troubled = false;
    while (!stopping()) {
      try {
        if (lease == 0) {
          take_lease(lease);
          last_beat = std::chrono::steady_clock::now();
          note("Holding etcd lease " + std::to_string(lease) + " for server " + server_ + " (TTL " +
                   std::to_string(lease_ttl.count()) + " s)",
               false);
        } else if (client_->keep_alive(lease) == 0) {
          note("The etcd lease of server " + server_ + " expired; taking a new one", true);
          lease = 0;
          continue;
        } else if (std::chrono::steady_clock::now() - last_beat >= heartbeat_every) {
          heartbeat();
          last_beat = std::chrono::steady_clock::now();
        }
        if (troubled) note("The etcd store answers again", false);
        troubled = false;
        backoff = 1s;
        if (!pause(renew_every)) break;
      } catch (const std::exception& e) {
        if (!troubled)
          note(std::string("Cannot renew this server's etcd lease: ") + e.what(), true);
        troubled = true;
        if (!pause(backoff)) break;
        backoff = std::min<std::chrono::seconds>(backoff * 2, longest_backoff);
      }
    }
    if (lease == 0) return;
    try {  // at once Offline, rather than when the TTL runs out
      client_->revoke_lease(lease);
    } catch (const std::exception&) {
    }
  }

  // Reads the watched values and the revision they were read at.
  std::int64_t read_current(watched& out) {
    etcd::txn_request read;
    read.success = {etcd::get(keys_.org()), etcd::get(keys_.settings(server_))};
    auto r = client_->txn(read);
    out = watched{};
    if (!r.ranges.at(0).kvs.empty()) {
      const auto& kv = r.ranges[0].kvs[0];
      out.org_enabled = etcd::decode_org(kv.key, kv.value).mitigations_enabled;
    }
    if (!r.ranges.at(1).kvs.empty()) {
      const auto& kv = r.ranges[1].kvs[0];
      auto s = etcd::decode_settings(kv.key, kv.value);
      out.server_enabled = s.mitigations_enabled;
      out.blocked = s.blocked;
    }
    return r.revision;
  }

  // Says what changed between two pictures; empty when nothing the service acts on.
  std::string describe(const watched& before, const watched& after) const {
    std::string what;
    auto add = [&](const std::string& s) { what += (what.empty() ? "" : "; ") + s; };
    if (before.org_enabled != after.org_enabled)
      add("MitigationsEnabled of the organisation changed from " +
          setting_text(before.org_enabled) + " to " + setting_text(after.org_enabled));
    if (before.server_enabled != after.server_enabled)
      add("MitigationsEnabled of " + server_ + " changed from " +
          setting_text(before.server_enabled) + " to " + setting_text(after.server_enabled));
    if (before.blocked != after.blocked)
      add("MitigationsBlocked of " + server_ + " changed from " + setting_text(before.blocked) +
          " to " + setting_text(after.blocked));
    return what;
  }

  void apply_event(const etcd::watch_event& ev) {
    watched next = current_;
    if (ev.kv.key == keys_.org()) {
      next.org_enabled =
          ev.deleted ? true : etcd::decode_org(ev.kv.key, ev.kv.value).mitigations_enabled;
    } else if (ev.kv.key == keys_.settings(server_)) {
      etcd::settings_value s;
      if (!ev.deleted) s = etcd::decode_settings(ev.kv.key, ev.kv.value);
      next.server_enabled = s.mitigations_enabled;
      next.blocked = s.blocked;
    }
    changed(next);
  }

  void changed(const watched& next) {
    auto what = describe(current_, next);
    current_ = next;
    if (!what.empty() && callbacks_.settings_changed) callbacks_.settings_changed(what);
  }

  // One watch stream on the two keys, from `from`; returns when it ends.
  void run_stream(std::int64_t& from) {
    std::string pending;
    const std::string body =
        etcd::watch_body({{keys_.org(), {}, from}, {keys_.settings(server_), {}, from}});
    auto on_data = [&](std::string_view data) {
      pending.append(data);
      if (pending.size() > max_watch_message)
        throw store_error("etcd sent a watch message over " + std::to_string(max_watch_message) +
                          " bytes");
      for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
        const auto line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
        auto r = etcd::parse_watch_response(line);
        if (r.canceled) {
          if (!r.compact_revision)  // refused, or the member lost its leader: wait, then again
            throw store_error("etcd canceled the watch" +
                              (r.cancel_reason.empty() ? "" : ": " + r.cancel_reason));
          from = 0;  // compacted past where this watch was: read afresh instead
          return false;
        }
        for (const auto& ev : r.events) {
          apply_event(ev);
          from = std::max(from, ev.kv.mod_revision + 1);
        }
      }
      return !stopping();
    };
    client_->stream("/v3/watch", body, on_data, stream_stop_, [&](const std::string& endpoint) {
      note("Watching the settings of the organisation and of " + server_ + " on " + endpoint,
           false);
    });
  }

  void watch_settings() {
    std::int64_t from = 0;
    auto backoff = 1s;
    while (!stopping()) {
      try {
        if (from == 0) {
          watched now;
          from = read_current(now) + 1;
          if (!first_read_) changed(now);  // what changed while the watch was down
          current_ = now;
          first_read_ = false;
        }
        run_stream(from);
        backoff = 1s;
      } catch (const std::exception& e) {
        if (stopping()) break;
        note(std::string("The watch on this server's settings stopped: ") + e.what() +
                 "; watching again in " + std::to_string(backoff.count()) + " s",
             true);
        if (!pause(backoff)) break;
        backoff = std::min<std::chrono::seconds>(backoff * 2, longest_backoff);
      }
    }
  }

  std::shared_ptr<etcd::client> client_;
  etcd::key_layout keys_;
  std::string server_;
  fleet_callbacks callbacks_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  etcd::stream_stop stream_stop_;
  watched current_;  // the watcher thread's alone
  bool first_read_ = true;
  std::thread keeper_;
  std::thread watcher_;
};

}  // namespace

std::unique_ptr<fleet_session> etcd_store::join_fleet(const std::string& server,
                                                      fleet_callbacks callbacks) {
  return std::make_unique<etcd_fleet_session>(client_, keys_, server, std::move(callbacks));
}

}  // namespace em
