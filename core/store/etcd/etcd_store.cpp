#include "core/store/etcd/etcd_store.hpp"

#include <algorithm>
#include <map>

#include "core/store/random_uuid.hpp"
#include "core/store/server_settings.hpp"
#include "core/store/store_rules.hpp"

namespace em {
namespace {

constexpr const char* organization_target = "Organization";

// Enough for any realistic burst of administrators; beyond it something is
// rewriting the key in a loop, and the caller hears so instead of spinning.
constexpr int max_tries = 50;

[[noreturn]] void too_busy(const std::string& key) {
  throw store_error("etcd key " + key + " changed " + std::to_string(max_tries) +
                    " times while this change was being made; try again");
}

std::optional<etcd::key_value> first(etcd::range_result r) {
  if (r.kvs.empty()) return std::nullopt;
  return std::move(r.kvs.front());
}

// The part of a key after its kind's prefix: the server's ID.
std::string id_of(const std::string& key, const std::string& kind_prefix) {
  return key.substr(kind_prefix.size());
}

}  // namespace

etcd_store::etcd_store(std::shared_ptr<etcd::client> client, std::string prefix)
    : client_(std::move(client)), keys_(std::move(prefix)) {}

std::unique_ptr<etcd_store> open_etcd_store(const etcd_section& section) {
  auto client = std::make_shared<etcd::client>(etcd::client_settings::from_config(section));
  return std::make_unique<etcd_store>(std::move(client), section.prefix);
}

etcd::txn_result etcd_store::write(const etcd::txn_request& txn, const std::string& key) {
  try {
    return client_->txn(txn);
  } catch (const etcd::refused& e) {
    if (!e.permission_denied()) throw;
    throw etcd::refused(e.code(), "etcd refused to write " + key + ": " + e.what());
  }
}

etcd_store::server_keys etcd_store::read_server(const std::string& name,
                                                const std::string& other_key) {
  etcd::txn_request read;
  read.success = {etcd::get(keys_.state(name)), etcd::get(keys_.settings(name))};
  if (!other_key.empty()) read.success.push_back(etcd::get(other_key));
  auto r = client_->txn(read);
  server_keys out;
  if (r.ranges.size() != read.success.size())
    throw store_error("etcd answered a read of server " + name + " with " +
                      std::to_string(r.ranges.size()) + " results");
  out.state = first(std::move(r.ranges[0]));
  out.settings = first(std::move(r.ranges[1]));
  if (!other_key.empty()) out.other = first(std::move(r.ranges[2]));
  return out;
}

etcd::state_value etcd_store::require_state(const std::string& name, const server_keys& keys) {
  if (!keys.state) throw invalid_input("unknown server '" + name + "'");
  return etcd::decode_state(keys.state->key, keys.state->value);
}

std::string etcd_store::new_audit_key(std::size_t index) const {
  // Unique whoever writes it; entries are ordered by the revision that
  // created them, then by this name, so its time is only for people reading keys.
  auto at = format_rfc3339_ms(std::chrono::system_clock::now());
  at.erase(std::remove_if(at.begin(), at.end(), [](char c) { return c == '-' || c == ':'; }),
           at.end());
  return keys_.audit(at + "-" + random_uuid() + "-" + std::to_string(index));
}

etcd::operation etcd_store::audit_put(const audit_entry& entry, std::size_t index) const {
  return etcd::put(new_audit_key(index), etcd::encode(entry));
}

org_settings etcd_store::create_org(bool may_be_refused) {
  const etcd::org_value fresh{random_uuid(), true};
  etcd::txn_request txn;
  txn.compares = {etcd::absent(keys_.org())};
  txn.success = {etcd::put(keys_.org(), etcd::encode(fresh))};
  txn.failure = {etcd::get(keys_.org())};
  etcd::txn_result r;
  try {
    r = write(txn, keys_.org());
  } catch (const etcd::refused& e) {
    // A server's identity may not create it: until an administrator does,
    // the organisation has its defaults and no ID yet.
    if (may_be_refused && e.permission_denied()) return org_settings{{}, true};
    throw;
  }
  if (r.succeeded) return {fresh.organization_id, fresh.mitigations_enabled};
  auto kv = first(r.ranges.at(0));
  if (!kv) throw store_error("etcd key " + keys_.org() + " vanished while being created");
  auto v = etcd::decode_org(kv->key, kv->value);
  return {v.organization_id, v.mitigations_enabled};
}

org_settings etcd_store::get_org() {
  auto kv = first(client_->range({keys_.org()}));
  if (!kv) return create_org(true);
  auto v = etcd::decode_org(kv->key, kv->value);
  return {v.organization_id, v.mitigations_enabled};
}

void etcd_store::set_org_mitigations_enabled(bool enabled, const std::string& user) {
  for (int tries = 0; tries < max_tries; ++tries) {
    auto kv = first(client_->range({keys_.org()}));
    if (!kv) {
      create_org(false);
      continue;
    }
    auto v = etcd::decode_org(kv->key, kv->value);
    if (v.mitigations_enabled == enabled) return;  // nothing changed: no audit row
    const bool old = v.mitigations_enabled;
    v.mitigations_enabled = enabled;
    etcd::txn_request txn;
    txn.compares = {etcd::mod_revision_is(kv->key, kv->mod_revision)};
    txn.success = {etcd::put(kv->key, etcd::encode(v)),
                   audit_put({0, std::chrono::system_clock::now(), user, organization_target,
                              "MitigationsEnabled", setting_text(old), setting_text(enabled)},
                             0)};
    if (write(txn, kv->key).succeeded) return;
  }
  too_busy(keys_.org());
}

void etcd_store::register_server(const std::string& name, const std::string& product,
                                 const std::string& build) {
  check_server_name(name);
  const auto key = keys_.state(name);
  for (int tries = 0; tries < max_tries; ++tries) {
    auto kv = first(client_->range({key}));
    etcd::txn_request txn;
    etcd::state_value v;
    if (kv) {
      // Written even when nothing changed: a service whose etcd identity may
      // not write its own keys hears so at start, not at its first cycle.
      v = etcd::decode_state(kv->key, kv->value);
      txn.compares = {etcd::mod_revision_is(key, kv->mod_revision)};
    } else {
      v.name = name;  // the name keeps the case it was first registered with
      txn.compares = {etcd::absent(key)};
    }
    v.product = product;
    v.build = build;
    txn.success = {etcd::put(key, etcd::encode(v))};
    if (write(txn, key).succeeded) return;
  }
  too_busy(key);
}

std::optional<server_record> etcd_store::find_server(const std::string& name) {
  etcd::txn_request read;
  read.success = {etcd::get(keys_.state(name)), etcd::get(keys_.settings(name)),
                  etcd::get(keys_.live(name)), etcd::get(keys_.seen(name))};
  auto r = client_->txn(read);
  auto state = first(r.ranges.at(0));
  if (!state) return std::nullopt;
  std::optional<etcd::settings_value> settings;
  if (auto kv = first(r.ranges.at(1))) settings = etcd::decode_settings(kv->key, kv->value);
  auto record = etcd::make_record(etcd::decode_state(state->key, state->value), settings);
  record.online = !r.ranges.at(2).kvs.empty();
  if (auto seen = first(r.ranges.at(3)))
    record.last_seen = etcd::decode_time(seen->key, seen->value);
  return record;
}

store::decision_inputs etcd_store::read_decision_inputs(const std::string& name) {
  etcd::txn_request read;
  read.success = {etcd::get(keys_.org()), etcd::get(keys_.state(name)),
                  etcd::get(keys_.settings(name)), etcd::get(keys_.floor())};
  auto r = client_->txn(read);
  decision_inputs out;
  if (auto org = first(r.ranges.at(0))) {
    auto v = etcd::decode_org(org->key, org->value);
    out.org = {v.organization_id, v.mitigations_enabled};
  } else {
    out.org = create_org(true);
  }
  server_keys keys{first(std::move(r.ranges.at(1))), first(std::move(r.ranges.at(2))),
                   first(std::move(r.ranges.at(3)))};
  if (!keys.state) return out;
  std::optional<etcd::settings_value> settings;
  if (keys.settings) settings = etcd::decode_settings(keys.settings->key, keys.settings->value);
  out.server = etcd::make_record(etcd::decode_state(keys.state->key, keys.state->value), settings);
  std::lock_guard lock(revisions_mutex_);
  revisions_[etcd::key_layout::server_id(name)] = std::move(keys);
  return out;
}

std::optional<etcd_store::server_keys> etcd_store::take_revisions(const std::string& name) {
  std::lock_guard lock(revisions_mutex_);
  auto it = revisions_.find(etcd::key_layout::server_id(name));
  if (it == revisions_.end()) return std::nullopt;
  auto keys = std::move(it->second);
  revisions_.erase(it);
  return keys;
}

std::vector<server_record> etcd_store::list_servers() {
  const auto states = client_->range_prefix(keys_.kind("state"));
  const auto at = states.revision;
  std::map<std::string, etcd::settings_value> settings;
  for (const auto& kv : client_->range_prefix(keys_.kind("settings"), at).kvs)
    settings[id_of(kv.key, keys_.kind("settings"))] = etcd::decode_settings(kv.key, kv.value);
  std::map<std::string, bool> live;
  for (const auto& kv : client_->range_prefix(keys_.kind("live"), at).kvs)
    live[id_of(kv.key, keys_.kind("live"))] = true;
  std::map<std::string, sys_time> seen;
  for (const auto& kv : client_->range_prefix(keys_.kind("seen"), at).kvs)
    seen[id_of(kv.key, keys_.kind("seen"))] = etcd::decode_time(kv.key, kv.value);

  std::vector<server_record> out;
  for (const auto& kv : states.kvs) {
    const auto id = id_of(kv.key, keys_.kind("state"));
    auto s = settings.find(id);
    auto record = etcd::make_record(etcd::decode_state(kv.key, kv.value),
                                    s == settings.end() ? std::nullopt : std::optional(s->second));
    record.online = live.count(id) > 0;
    if (auto t = seen.find(id); t != seen.end()) record.last_seen = t->second;
    out.push_back(std::move(record));
  }
  std::sort(out.begin(), out.end(), [](const server_record& a, const server_record& b) {
    return server_name_less(a.name, b.name);
  });
  return out;
}

void etcd_store::update_server(const std::string& name, const server_changes& changes,
                               const std::string& user) {
  check_changes(changes);
  const auto key = keys_.settings(name);
  for (int tries = 0; tries < max_tries; ++tries) {
    const auto keys = read_server(name);
    const auto state = require_state(name, keys);
    std::optional<etcd::settings_value> settings;
    if (keys.settings) settings = etcd::decode_settings(keys.settings->key, keys.settings->value);
    const auto old = etcd::make_record(state, settings);
    server_record next;
    const auto diff = diff_settings(old, changes, next);
    if (diff.empty()) return;
    const etcd::settings_value value{next.mitigations_enabled, next.blocked,
                                     next.data_collection_enabled, next.internet_web_proxy};
    etcd::txn_request txn;
    txn.compares = {etcd::mod_revision_is(key, keys.settings ? keys.settings->mod_revision : 0)};
    txn.success = {etcd::put(key, etcd::encode(value))};
    const auto now = std::chrono::system_clock::now();
    for (std::size_t i = 0; i < diff.size(); ++i)
      txn.success.push_back(audit_put(
          {0, now, user, old.name, diff[i].setting, diff[i].old_value, diff[i].new_value}, i));
    if (write(txn, key).succeeded) return;
  }
  too_busy(key);
}

std::vector<audit_entry> etcd_store::audit_log() {
  auto kvs = client_->range_prefix(keys_.kind("audit")).kvs;
  // In the order etcd committed them; rows of one transaction by their index.
  std::stable_sort(kvs.begin(), kvs.end(), [](const etcd::key_value& a, const etcd::key_value& b) {
    if (a.create_revision != b.create_revision) return a.create_revision < b.create_revision;
    auto index = [](const std::string& k) {
      const auto digits = k.substr(k.rfind('-') + 1);
      return digits.size() < 9 && !digits.empty() &&
                     digits.find_first_not_of("0123456789") == std::string::npos
                 ? std::stoul(digits)
                 : 0ul;
    };
    return index(a.key) < index(b.key);
  });
  std::vector<audit_entry> out;
  for (const auto& kv : kvs) {
    auto e = etcd::decode_audit(kv.key, kv.value);
    e.id = static_cast<std::int64_t>(out.size() + 1);  // its place: entries are never removed
    out.push_back(std::move(e));
  }
  return out;
}

void etcd_store::append_audit(const std::string& user, const std::string& target,
                              const std::string& setting, const std::string& old_value,
                              const std::string& new_value) {
  auto put = audit_put(
      {0, std::chrono::system_clock::now(), user, target, setting, old_value, new_value}, 0);
  etcd::txn_request txn;
  // Written once even if the answer is lost and the call is repeated.
  txn.compares = {etcd::absent(put.key)};
  txn.success = {put};
  write(txn, put.key);
}

}  // namespace em
