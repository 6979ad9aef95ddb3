// The service's side of the etcd store: cycles, statuses, documents, plugin
// values, the sequence floor, and what emctl store copy writes.
#include <algorithm>

#include "core/store/etcd/etcd_store.hpp"
#include "core/store/store_rules.hpp"

namespace em {
namespace {

constexpr int max_tries = 50;
// etcd refuses a transaction of more than --max-txn-ops operations (128 by default).
constexpr std::size_t max_txn_ops = 100;

std::optional<etcd::key_value> first(etcd::range_result r) {
  if (r.kvs.empty()) return std::nullopt;
  return std::move(r.kvs.front());
}

etcd::compare exists(const std::string& key) {
  return {key, etcd::compare::target::create, etcd::compare::result::greater, 0, {}};
}

}  // namespace

void etcd_store::record_cycle(const std::string& name, const cycle_record& record) {
  check_cycle(record);
  const auto state_key = keys_.state(name);
  auto remembered = take_revisions(name);
  for (int tries = 0; tries < max_tries; ++tries) {
    const auto keys = remembered && tries == 0 ? *remembered : read_server(name, keys_.floor());
    auto state = require_state(name, keys);
    state.applied = unique_in_order(record.applied);
    state.last_check = record.checked_at;
    state.last_result = record.result;
    // Only upward: a lower sequence is a rollback the verifier refuses, and
    // recording it would reopen the door to replaying older documents.
    const auto& seq = record.accepted_sequence;
    if (seq && (!state.highest_sequence || *seq > *state.highest_sequence)) {
      state.highest_sequence = *seq;
      state.accepted_digest = record.accepted_digest;
    }
    // A decision pass over the document already stored does not write it
    // again: in a fleet, that is most of the bytes a change would move.
    const auto print = record.document ? etcd::fingerprint(*record.document) : std::string();
    const bool new_document = record.document && print != state.document_fingerprint;
    if (new_document) state.document_fingerprint = print;
    etcd::txn_request txn;
    txn.compares = {etcd::mod_revision_is(state_key, keys.state->mod_revision)};
    txn.success = {
        etcd::put(state_key, etcd::encode(state)),
        etcd::put(keys_.status(name), etcd::encode_statuses(state.name, record.statuses))};
    if (new_document)
      txn.success.push_back(etcd::put(keys_.document(name), etcd::encode(*record.document)));
    // The organisation's floor rises with the highest sequence any server accepted.
    std::optional<etcd::floor_value> floor;
    if (keys.other) floor = etcd::decode_floor(keys.other->key, keys.other->value);
    if (seq && record.document && (!floor || *seq > floor->sequence)) {
      txn.compares.push_back(
          etcd::mod_revision_is(keys_.floor(), keys.other ? keys.other->mod_revision : 0));
      txn.success.push_back(
          etcd::put(keys_.floor(),
                    etcd::encode(etcd::floor_value{*seq, record.accepted_digest, state.name})));
    }
    if (write(txn, state_key).succeeded) return;
  }
  throw store_error("etcd key " + state_key + " kept changing while a cycle was being recorded");
}

std::vector<action_status> etcd_store::action_statuses(const std::string& server) {
  std::vector<action_status> out;
  auto add = [&](const etcd::key_value& kv) {
    auto list = etcd::decode_statuses(kv.key, kv.value);
    out.insert(out.end(), list.begin(), list.end());
  };
  if (server.empty()) {
    for (const auto& kv : client_->range_prefix(keys_.kind("status")).kvs)
      add(kv);
  } else {
    auto keys = read_server(server, keys_.status(server));
    require_state(server, keys);
    if (keys.other) add(*keys.other);
  }
  sort_statuses(out);
  return out;
}

std::optional<stored_document> etcd_store::load_document(const std::string& server) {
  auto keys = read_server(server, keys_.document(server));
  require_state(server, keys);
  if (!keys.other) return std::nullopt;
  return etcd::decode_document(keys.other->key, keys.other->value);
}

std::optional<std::string> etcd_store::get_plugin_value(const std::string& server,
                                                        const std::string& plugin,
                                                        const std::string& key) {
  auto keys = read_server(server, keys_.plugin(server, plugin, key));
  require_state(server, keys);
  if (!keys.other) return std::nullopt;
  return keys.other->value;
}

void etcd_store::set_plugin_value(const std::string& server, const std::string& plugin,
                                  const std::string& key, const std::string& value) {
  const auto k = keys_.plugin(server, plugin, key);
  etcd::txn_request txn;
  txn.compares = {exists(keys_.state(server))};
  txn.success = {etcd::put(k, value)};
  if (!write(txn, k).succeeded) throw invalid_input("unknown server '" + server + "'");
}

void etcd_store::erase_plugin_value(const std::string& server, const std::string& plugin,
                                    const std::string& key) {
  const auto k = keys_.plugin(server, plugin, key);
  etcd::txn_request txn;
  txn.compares = {exists(keys_.state(server))};
  txn.success = {etcd::remove(k)};
  if (!write(txn, k).succeeded) throw invalid_input("unknown server '" + server + "'");
}

std::optional<sequence_floor> etcd_store::organization_sequence_floor() {
  auto kv = first(client_->range({keys_.floor()}));
  if (!kv) return std::nullopt;
  const auto v = etcd::decode_floor(kv->key, kv->value);
  sequence_floor out{v.server, v.sequence, v.digest, std::nullopt};
  if (auto doc = first(client_->range({keys_.document(v.server)})))
    out.document = etcd::decode_document(doc->key, doc->value);
  return out;
}

std::int64_t etcd_store::count_keys() {
  etcd::range_request r;
  r.key = keys_.prefix();
  r.range_end = etcd::prefix_end(keys_.prefix());
  r.keys_only = true;
  r.limit = 1;
  // With a limit, etcd still counts every key in the range; one is enough to know.
  return static_cast<std::int64_t>(client_->range(r).kvs.size());
}

void etcd_store::import_org(const org_settings& org) {
  etcd::txn_request txn;
  txn.compares = {etcd::absent(keys_.org())};
  txn.success = {etcd::put(
      keys_.org(), etcd::encode(etcd::org_value{org.organization_id, org.mitigations_enabled}))};
  if (!write(txn, keys_.org()).succeeded)
    throw store_error("etcd key " + keys_.org() + " exists already: not replaced");
}

std::vector<store::plugin_value> etcd_store::plugin_values(const std::string& server) {
  auto keys = read_server(server);
  require_state(server, keys);
  const auto prefix = keys_.plugins(server);
  std::vector<plugin_value> out;
  for (const auto& kv : client_->range_prefix(prefix).kvs) {
    const auto rest = kv.key.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) continue;  // not written by this store
    out.push_back({etcd::key_layout::unsegment(rest.substr(0, slash)),
                   etcd::key_layout::unsegment(rest.substr(slash + 1)), kv.value});
  }
  return out;
}

void etcd_store::import_server(const server_record& server,
                               const std::vector<action_status>& statuses,
                               const std::optional<stored_document>& document,
                               const std::vector<plugin_value>& plugin_values) {
  check_server_name(server.name);
  etcd::state_value state{server.name,
                          server.product,
                          server.build,
                          server.applied,
                          server.last_check,
                          server.last_result,
                          server.highest_sequence,
                          server.accepted_digest,
                          document ? etcd::fingerprint(*document) : std::string()};
  etcd::settings_value settings{server.mitigations_enabled, server.blocked,
                                server.data_collection_enabled, server.internet_web_proxy};
  const auto key = keys_.state(server.name);
  etcd::txn_request txn;
  txn.compares = {etcd::absent(key)};
  txn.success = {
      etcd::put(key, etcd::encode(state)),
      etcd::put(keys_.settings(server.name), etcd::encode(settings)),
      etcd::put(keys_.status(server.name), etcd::encode_statuses(server.name, statuses))};
  if (document)
    txn.success.push_back(etcd::put(keys_.document(server.name), etcd::encode(*document)));
  for (const auto& p : plugin_values)
    txn.success.push_back(etcd::put(keys_.plugin(server.name, p.plugin, p.key), p.value));
  if (!write(txn, key).succeeded)
    throw store_error("etcd key " + key + " exists already: server " + server.name +
                      " not replaced");
}

void etcd_store::import_audit(const std::vector<audit_entry>& entries) {
  // In order, one transaction per batch: their creation revisions keep the
  // order the source had.
  for (std::size_t start = 0; start < entries.size(); start += max_txn_ops) {
    etcd::txn_request txn;
    const auto end = std::min(entries.size(), start + max_txn_ops);
    for (std::size_t i = start; i < end; ++i)
      txn.success.push_back(audit_put(entries[i], i - start));
    write(txn, keys_.kind("audit"));
  }
}

}  // namespace em
