#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace em::etcd {

// The few pieces of etcd's v3 KV API (etcdserverpb) this client uses, as
// plain values. Keys and values are bytes; revisions are etcd's int64.

struct key_value {
  std::string key;
  std::string value;
  std::int64_t create_revision = 0;
  std::int64_t mod_revision = 0;
  std::int64_t version = 0;
  std::int64_t lease = 0;
};

struct range_result {
  std::vector<key_value> kvs;
  std::int64_t revision = 0;  // of the store when this was read
  bool more = false;          // a limit cut the answer short
};

// A range request: one key, or [key, range_end) when range_end is set.
struct range_request {
  std::string key;
  std::string range_end;      // empty: the key alone
  std::int64_t limit = 0;     // 0: no limit
  std::int64_t revision = 0;  // 0: the latest; else read as of that revision
  bool keys_only = false;
  bool sort_by_create = false;  // ascending create revision instead of key order
};

// A Compare of a Txn: the key's version, create or mod revision, or value.
struct compare {
  enum class target { version, create, mod, value };
  enum class result { equal, greater, less, not_equal };
  std::string key;
  target what = target::mod;
  result is = result::equal;
  std::int64_t number = 0;  // version or revision
  std::string value;        // for target::value
};

// A RequestOp of a Txn.
struct operation {
  enum class kind { put, remove, range };
  kind what = kind::put;
  std::string key;
  std::string value;       // put
  std::int64_t lease = 0;  // put: attach to this lease
  std::string range_end;   // remove / range: [key, range_end)
};

struct txn_request {
  std::vector<compare> compares;
  std::vector<operation> success;
  std::vector<operation> failure;
};

struct txn_result {
  bool succeeded = false;
  std::int64_t revision = 0;
  // One per range operation of the branch that ran, in order.
  std::vector<range_result> ranges;
};

// The first key after every key that starts with `prefix` (etcd's range_end
// for a prefix).
std::string prefix_end(const std::string& prefix);

inline compare mod_revision_is(const std::string& key, std::int64_t revision) {
  return {key, compare::target::mod, compare::result::equal, revision, {}};
}
inline compare absent(const std::string& key) {
  return {key, compare::target::create, compare::result::equal, 0, {}};
}
inline operation put(const std::string& key, const std::string& value, std::int64_t lease = 0) {
  return {operation::kind::put, key, value, lease, {}};
}
inline operation remove(const std::string& key, const std::string& range_end = {}) {
  return {operation::kind::remove, key, {}, 0, range_end};
}
inline operation get(const std::string& key, const std::string& range_end = {}) {
  return {operation::kind::range, key, {}, 0, range_end};
}

}  // namespace em::etcd
