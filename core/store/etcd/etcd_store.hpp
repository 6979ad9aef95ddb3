#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/store/etcd/etcd_client.hpp"
#include "core/store/etcd/etcd_keys.hpp"
#include "core/store/etcd/etcd_records.hpp"
#include "core/store/store.hpp"

namespace em {

// The store of an organisation in etcd (SPEC 11), behind the same interface
// as the SQLite store; the key layout is in etcd_keys.hpp.
//
// Nothing is cached: every call reads etcd, so what one server or
// administrator writes, every other sees at once. Each change is one etcd
// transaction: a setting and its audit rows; a cycle's state, statuses,
// document and the organisation's sequence floor. A change made from a value
// read earlier compares the key's mod revision and, when someone else changed
// it meanwhile, reads again and retries, so concurrent administrators' changes
// are all kept, each with its audit row.
//
// Errors: em::store_unavailable when no member answers within the timeout;
// etcd::refused (an em::store_error) naming the key when etcd refuses a write
// (permission denied); em::invalid_input for an unknown server or a bad value.
class etcd_store final : public store {
 public:
  etcd_store(std::shared_ptr<etcd::client> client, std::string prefix);

  org_settings get_org() override;
  void set_org_mitigations_enabled(bool enabled, const std::string& user) override;
  void register_server(const std::string& name, const std::string& product,
                       const std::string& build) override;
  std::optional<server_record> find_server(const std::string& name) override;
  decision_inputs read_decision_inputs(const std::string& server) override;
  std::vector<server_record> list_servers() override;
  void update_server(const std::string& name, const server_changes& changes,
                     const std::string& user) override;
  void record_cycle(const std::string& name, const cycle_record& record) override;
  std::vector<action_status> action_statuses(const std::string& server) override;
  std::vector<audit_entry> audit_log() override;
  void append_audit(const std::string& user, const std::string& target, const std::string& setting,
                    const std::string& old_value, const std::string& new_value) override;
  std::optional<stored_document> load_document(const std::string& server) override;
  std::optional<std::string> get_plugin_value(const std::string& server, const std::string& plugin,
                                              const std::string& key) override;
  void set_plugin_value(const std::string& server, const std::string& plugin,
                        const std::string& key, const std::string& value) override;
  void erase_plugin_value(const std::string& server, const std::string& plugin,
                          const std::string& key) override;
  std::vector<plugin_value> plugin_values(const std::string& server) override;
  std::optional<sequence_floor> organization_sequence_floor() override;
  std::unique_ptr<fleet_session> join_fleet(const std::string& server,
                                            fleet_callbacks callbacks) override;

  // For emctl store copy: writes whole records as they are, each server in
  // one transaction, audit entries in batches (etcd's --max-txn-ops defaults
  // to 128); refuses to replace anything that exists.
  void import_server(const server_record& server, const std::vector<action_status>& statuses,
                     const std::optional<stored_document>& document,
                     const std::vector<plugin_value>& plugin_values);
  void import_audit(const std::vector<audit_entry>& entries);
  void import_org(const org_settings& org);
  // How many keys the prefix holds (0: an empty organisation).
  std::int64_t count_keys();

  const etcd::key_layout& keys() const { return keys_; }
  etcd::client& client() { return *client_; }

 private:
  // One server's keys as read together, at one revision.
  struct server_keys {
    std::optional<etcd::key_value> state;
    std::optional<etcd::key_value> settings;
    std::optional<etcd::key_value> other;  // the third key asked for, when one was
  };
  server_keys read_server(const std::string& name, const std::string& other_key = {});
  etcd::state_value require_state(const std::string& name, const server_keys& keys);
  etcd::txn_result write(const etcd::txn_request& txn, const std::string& key);
  std::string new_audit_key(std::size_t index) const;
  etcd::operation audit_put(const audit_entry& entry, std::size_t index) const;
  org_settings create_org(bool may_be_refused);

  // The state and floor keys as the last decision read them: record_cycle
  // tries its compare-and-swap with these first and reads again only when
  // someone changed them meanwhile. Used once; never a copy of the truth.
  std::optional<server_keys> take_revisions(const std::string& name);

  std::shared_ptr<etcd::client> client_;
  etcd::key_layout keys_;
  std::mutex revisions_mutex_;
  std::map<std::string, server_keys> revisions_;  // by server ID
};

// Opens the store of [store.etcd]; connects on first use, so this only fails
// for an unusable configuration (a password file that cannot be read).
std::unique_ptr<etcd_store> open_etcd_store(const etcd_section& section);

}  // namespace em
