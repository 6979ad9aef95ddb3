#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/util/time_util.hpp"

namespace em {

struct org_settings {
  std::string organization_id;  // a UUID made when the store is created
  bool mitigations_enabled = true;
};

// Per action and server, as SPEC 4 step 4 lists them.
enum class action_state { applied, blocked, not_applicable, disabled, failed, pending };

const char* to_string(action_state s);  // "Applied", "Blocked", "NotApplicable", …
std::optional<action_state> parse_action_state(const std::string& text);

struct action_status {
  std::string server;
  std::string action_id;  // M1.1
  std::string type;       // UrlRewrite
  std::string description;
  action_state state = action_state::pending;
  std::string reason;  // why Failed / NotApplicable / Disabled; may be empty
  sys_time updated{};
};

struct server_record {
  std::string name;
  bool mitigations_enabled = true;
  std::vector<std::string> applied;  // action IDs; written by the service only
  std::vector<std::string> blocked;  // Config IDs (M1) or action IDs (M1.2)
  bool data_collection_enabled = false;
  std::string internet_web_proxy;  // empty: none
  std::string product;
  std::string build;
  std::optional<sys_time> last_check;
  std::string last_result;  // one line, e.g. "Completed" or "Rejected: bad digest"
  std::optional<std::uint64_t> highest_sequence;
  std::string accepted_digest;  // of the document that set highest_sequence
  // Liveness (SPEC 11), from backends that keep it (etcd); nullopt otherwise.
  std::optional<bool> online;         // its emsd holds a live lease
  std::optional<sys_time> last_seen;  // its emsd's last heartbeat
};

// An administrator's change; unset fields are left alone. An empty string or
// list clears (--blocked= and --internet-web-proxy=).
struct server_changes {
  std::optional<bool> mitigations_enabled;
  std::optional<std::vector<std::string>> blocked;
  std::optional<bool> data_collection_enabled;
  std::optional<std::string> internet_web_proxy;
};

struct audit_entry {
  std::int64_t id = 0;
  sys_time at{};
  std::string user;
  std::string target;   // "Organization" or the server name
  std::string setting;  // MitigationsEnabled, MitigationsBlocked, …
  std::string old_value;
  std::string new_value;
};

// The last document this server accepted, kept so a 304 Not Modified can be
// answered from it and so emctl rollback knows each action's Value.
struct stored_document {
  std::string source;  // the URL it came from
  std::string etag;    // the server's ETag, empty when none
  std::string bytes;   // exactly as fetched (signed)
  std::string digest;  // hex SHA-256 of its verified canonical bytes
  sys_time fetched_at{};
};

// What the service records at the end of a cycle, in one transaction.
struct cycle_record {
  sys_time checked_at{};
  std::string result;
  std::vector<std::string> applied;                // the new MitigationsApplied
  std::vector<action_status> statuses;             // replaces the server's previous statuses
  std::optional<std::uint64_t> accepted_sequence;  // raises highest_sequence if higher
  std::string accepted_digest;
  std::optional<stored_document> document;  // replaces the stored one when set
};

// SPEC 11's organisation-wide freshness floor: the highest sequence any
// server of the organisation accepted, and the signed document that carried
// it. A reader verifies `document` before it believes `sequence`.
struct sequence_floor {
  std::string server;
  std::uint64_t sequence = 0;
  std::string digest;
  std::optional<stored_document> document;
};

// What a running service holds while it is part of a fleet (SPEC 11): a
// lease that says it is alive, and watches on its settings. Ends (the lease
// revoked, the watches closed) when destroyed.
class fleet_session {
 public:
  virtual ~fleet_session() = default;
};

struct fleet_callbacks {
  // The organisation's or this server's MitigationsEnabled, or this server's
  // MitigationsBlocked, changed; `what` says how, in one line. Called on a
  // thread of the session's own.
  std::function<void(const std::string& what)> settings_changed;
  // A line for the service log: the lease lost and taken again, a watch
  // reconnected (`problem` true when something is wrong).
  std::function<void(const std::string& line, bool problem)> note;
};

// The state shared by emsd and emctl (SPEC 5). An interface, so a distributed
// backend can serve a fleet; the embedded default is SQLite.
// Every method throws em::store_error when the backend fails, and em::invalid_input
// for a server name that is not registered (where one is required).
class store {
 public:
  virtual ~store() = default;

  virtual org_settings get_org() = 0;
  // Audited: one audit row when the value changes.
  virtual void set_org_mitigations_enabled(bool enabled, const std::string& user) = 0;

  // Called by emsd at start: creates the server with defaults, or updates its
  // product and build. Not audited (it is the service, not an administrator).
  virtual void register_server(const std::string& name, const std::string& product,
                               const std::string& build) = 0;
  virtual std::optional<server_record> find_server(const std::string& name) = 0;

  // What a decision needs (SPEC 4 step 3), read together: where the backend
  // can, as one consistent picture in one round trip.
  struct decision_inputs {
    org_settings org;
    std::optional<server_record> server;
  };
  virtual decision_inputs read_decision_inputs(const std::string& server) {
    return {get_org(), find_server(server)};
  }
  virtual std::vector<server_record> list_servers() = 0;  // ordered by name

  // Audited: one row per setting whose value changes. All or nothing.
  virtual void update_server(const std::string& name, const server_changes& changes,
                             const std::string& user) = 0;

  virtual void record_cycle(const std::string& name, const cycle_record& record) = 0;

  // All servers' statuses when `server` is empty; ordered by server, then action ID.
  virtual std::vector<action_status> action_statuses(const std::string& server = {}) = 0;

  virtual std::vector<audit_entry> audit_log() = 0;  // oldest first
  // An administrator's action that is not a setting (emctl rollback, check-now).
  virtual void append_audit(const std::string& user, const std::string& target,
                            const std::string& setting, const std::string& old_value,
                            const std::string& new_value) = 0;

  // The last accepted document (saved by record_cycle), if any.
  virtual std::optional<stored_document> load_document(const std::string& server) = 0;

  // Small values a plugin keeps between calls (for example the settings it
  // changed, to restore them on rollback), per server and plugin.
  virtual std::optional<std::string> get_plugin_value(const std::string& server,
                                                      const std::string& plugin,
                                                      const std::string& key) = 0;
  virtual void set_plugin_value(const std::string& server, const std::string& plugin,
                                const std::string& key, const std::string& value) = 0;
  virtual void erase_plugin_value(const std::string& server, const std::string& plugin,
                                  const std::string& key) = 0;

  // Every value plugins keep for `server` ({plugin, key, value}), for
  // emctl store copy; ordered by plugin, then key.
  struct plugin_value {
    std::string plugin;
    std::string key;
    std::string value;
  };
  virtual std::vector<plugin_value> plugin_values(const std::string& server) {
    (void)server;
    return {};
  }

  // The organisation's sequence floor (SPEC 11), if any server accepted a
  // document with a sequence.
  virtual std::optional<sequence_floor> organization_sequence_floor() { return std::nullopt; }

  // For a fleet backend: holds `server`'s lease and watches its settings
  // until the session is destroyed. nullptr when the backend has no such
  // thing (SQLite: settings are read at each cycle). Does not throw for an
  // unreachable backend: the session keeps trying and says so through `note`.
  virtual std::unique_ptr<fleet_session> join_fleet(const std::string& server,
                                                    fleet_callbacks callbacks) {
    (void)server;
    (void)callbacks;
    return nullptr;
  }
};

}  // namespace em
