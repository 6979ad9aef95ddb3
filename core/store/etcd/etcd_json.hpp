#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/etcd/etcd_types.hpp"

namespace em::etcd {

// etcd's v3 JSON gateway speaks protobuf's JSON mapping: bytes are base64,
// int64 values are strings, and fields at their default value are left out.
// These build request bodies and read answers; a malformed answer throws
// em::store_error naming what was wrong.

std::string to_base64(const std::string& bytes);
std::string from_base64(const std::string& text);  // throws em::store_error on bad input

std::string range_body(const range_request& r);
range_result parse_range(const std::string& body);

std::string txn_body(const txn_request& t);
txn_result parse_txn(const std::string& body);

std::string lease_grant_body(std::int64_t ttl_seconds);
std::int64_t parse_lease_grant(const std::string& body);  // the lease ID
std::string lease_id_body(std::int64_t id);               // keepalive, revoke
// The TTL left after a keepalive; 0 when the lease no longer exists.
std::int64_t parse_keepalive(const std::string& body);

std::string authenticate_body(const std::string& user, const std::string& password);
std::string parse_token(const std::string& body);

// One watch on [key, range_end) from `start_revision` (0: from now), with
// the previous value of each changed key.
struct watch_spec {
  std::string key;
  std::string range_end;
  std::int64_t start_revision = 0;
};
// Several create requests in one body: the gateway reads them in turn and
// runs every watch on the one stream.
std::string watch_body(const std::vector<watch_spec>& watches);

struct watch_event {
  bool deleted = false;
  key_value kv;
  std::optional<key_value> previous;
};

struct watch_response {
  std::int64_t watch_id = 0;
  std::int64_t revision = 0;  // of the store when this was sent
  bool created = false;
  bool canceled = false;
  std::int64_t compact_revision = 0;  // set when the start revision was compacted away
  std::string cancel_reason;
  std::vector<watch_event> events;
};
// One object of the stream, {"result": {...}} (or {"error": {...}}, thrown).
watch_response parse_watch_response(const std::string& line);

// An error answer {"error": …, "message": …, "code": n}: the gRPC code and
// message; nullopt when `body` is not one.
struct gateway_error {
  int code = 0;
  std::string message;
};
std::optional<gateway_error> parse_error(const std::string& body);

}  // namespace em::etcd
