#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace em::etcd {

// The JSON values of the keys in etcd_keys.hpp, one function pair per kind.
// Readers throw em::store_error naming the key when a value is malformed
// (written by another program, or by hand).

struct org_value {
  std::string organization_id;
  bool mitigations_enabled = true;
};

// What administrators set; an absent key means the defaults.
struct settings_value {
  bool mitigations_enabled = true;
  std::vector<std::string> blocked;
  bool data_collection_enabled = false;
  std::string internet_web_proxy;
};

// What the service writes about itself.
struct state_value {
  std::string name;  // as first registered
  std::string product;
  std::string build;
  std::vector<std::string> applied;
  std::optional<sys_time> last_check;
  std::string last_result;
  std::optional<std::uint64_t> highest_sequence;
  std::string accepted_digest;
  std::string document_fingerprint;  // of what document/<server> holds
};

struct floor_value {
  std::uint64_t sequence = 0;
  std::string digest;
  std::string server;  // whose document/<server> carried it
};

struct live_value {
  std::string host;
  std::int64_t pid = 0;
  sys_time since{};
};

std::string encode(const org_value& v);
org_value decode_org(const std::string& key, const std::string& text);

std::string encode(const settings_value& v);
settings_value decode_settings(const std::string& key, const std::string& text);

std::string encode(const state_value& v);
state_value decode_state(const std::string& key, const std::string& text);

std::string encode(const floor_value& v);
floor_value decode_floor(const std::string& key, const std::string& text);

std::string encode(const live_value& v);
live_value decode_live(const std::string& key, const std::string& text);

std::string encode_time(sys_time t);
sys_time decode_time(const std::string& key, const std::string& text);

// A server's statuses, under its display name.
std::string encode_statuses(const std::string& server, const std::vector<action_status>& list);
std::vector<action_status> decode_statuses(const std::string& key, const std::string& text);

std::string encode(const stored_document& v);
// SHA-256 of the document's source, ETag and bytes: a pass over the document
// already stored need not write it again.
std::string fingerprint(const stored_document& v);
stored_document decode_document(const std::string& key, const std::string& text);

std::string encode(const audit_entry& v);  // id is not kept: it is the entry's place
audit_entry decode_audit(const std::string& key, const std::string& text);

// A server record from its keys' values (settings may be absent).
server_record make_record(const state_value& state, const std::optional<settings_value>& settings);

}  // namespace em::etcd
