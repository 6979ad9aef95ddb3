#include "core/store/etcd/etcd_json.hpp"

#include <nlohmann/json.hpp>

#include "core/util/base64.hpp"
#include "core/util/error.hpp"

namespace em::etcd {
namespace {

using json = nlohmann::json;

[[noreturn]] void malformed(const std::string& what) {
  throw store_error("etcd answered with malformed JSON: " + what);
}

json parse(const std::string& body) {
  try {
    return json::parse(body);
  } catch (const json::exception& e) {
    malformed(e.what());
  }
}

// int64 fields come as strings ("42"); tolerate numbers too.
std::int64_t int64_of(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return 0;
  try {
    if (it->is_string()) return std::stoll(it->get<std::string>());
    if (it->is_number_integer()) return it->get<std::int64_t>();
  } catch (const std::exception&) {
  }
  malformed(std::string("field '") + name + "' is not an integer");
}

std::string bytes_of(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) malformed(std::string("field '") + name + "' is not a string");
  return from_base64(it->get<std::string>());
}

bool bool_of(const json& obj, const char* name) {
  auto it = obj.find(name);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

std::string string_of(const json& obj, const char* name) {
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

key_value kv_of(const json& j) {
  key_value kv;
  kv.key = bytes_of(j, "key");
  kv.value = bytes_of(j, "value");
  kv.create_revision = int64_of(j, "create_revision");
  kv.mod_revision = int64_of(j, "mod_revision");
  kv.version = int64_of(j, "version");
  kv.lease = int64_of(j, "lease");
  return kv;
}

std::int64_t header_revision(const json& j) {
  auto it = j.find("header");
  return it == j.end() ? 0 : int64_of(*it, "revision");
}

range_result range_of(const json& j) {
  range_result r;
  r.revision = header_revision(j);
  r.more = bool_of(j, "more");
  if (auto it = j.find("kvs"); it != j.end() && it->is_array())
    for (const auto& kv : *it)
      r.kvs.push_back(kv_of(kv));
  return r;
}

json range_json(const range_request& r) {
  json j{{"key", to_base64(r.key)}};
  if (!r.range_end.empty()) j["range_end"] = to_base64(r.range_end);
  if (r.limit) j["limit"] = std::to_string(r.limit);
  if (r.revision) j["revision"] = std::to_string(r.revision);
  if (r.keys_only) j["keys_only"] = true;
  if (r.sort_by_create) {
    j["sort_order"] = "ASCEND";
    j["sort_target"] = "CREATE";
  }
  return j;
}

json operation_json(const operation& op) {
  switch (op.what) {
    case operation::kind::put: {
      json put{{"key", to_base64(op.key)}, {"value", to_base64(op.value)}};
      if (op.lease) put["lease"] = std::to_string(op.lease);
      return json{{"request_put", put}};
    }
    case operation::kind::remove: {
      json del{{"key", to_base64(op.key)}};
      if (!op.range_end.empty()) del["range_end"] = to_base64(op.range_end);
      return json{{"request_delete_range", del}};
    }
    case operation::kind::range:
      break;
  }
  range_request r;
  r.key = op.key;
  r.range_end = op.range_end;
  return json{{"request_range", range_json(r)}};
}

json compare_json(const compare& c) {
  static const char* targets[] = {"VERSION", "CREATE", "MOD", "VALUE"};
  static const char* results[] = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
  json j{{"key", to_base64(c.key)},
         {"target", targets[static_cast<int>(c.what)]},
         {"result", results[static_cast<int>(c.is)]}};
  switch (c.what) {
    case compare::target::version:
      j["version"] = std::to_string(c.number);
      break;
    case compare::target::create:
      j["create_revision"] = std::to_string(c.number);
      break;
    case compare::target::mod:
      j["mod_revision"] = std::to_string(c.number);
      break;
    case compare::target::value:
      j["value"] = to_base64(c.value);
      break;
  }
  return j;
}

}  // namespace

std::string prefix_end(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    auto& last = end.back();
    if (static_cast<unsigned char>(last) < 0xff) {
      last = static_cast<char>(static_cast<unsigned char>(last) + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

std::string to_base64(const std::string& bytes) {
  return ::em::to_base64(bytes);
}

std::string from_base64(const std::string& text) {
  auto bytes = ::em::from_base64(text);
  if (!bytes) throw store_error("etcd answered with malformed base64");
  return std::move(*bytes);
}

std::string range_body(const range_request& r) {
  return range_json(r).dump();
}

range_result parse_range(const std::string& body) {
  return range_of(parse(body));
}

std::string txn_body(const txn_request& t) {
  json j = json::object();
  auto list = [](const auto& items, auto to_json) {
    json arr = json::array();
    for (const auto& item : items)
      arr.push_back(to_json(item));
    return arr;
  };
  if (!t.compares.empty()) j["compare"] = list(t.compares, compare_json);
  if (!t.success.empty()) j["success"] = list(t.success, operation_json);
  if (!t.failure.empty()) j["failure"] = list(t.failure, operation_json);
  return j.dump();
}

txn_result parse_txn(const std::string& body) {
  const auto j = parse(body);
  txn_result r;
  r.succeeded = bool_of(j, "succeeded");
  r.revision = header_revision(j);
  if (auto it = j.find("responses"); it != j.end() && it->is_array())
    for (const auto& op : *it)
      if (auto range = op.find("response_range"); range != op.end())
        r.ranges.push_back(range_of(*range));
  return r;
}

std::string lease_grant_body(std::int64_t ttl_seconds) {
  return json{{"TTL", std::to_string(ttl_seconds)}}.dump();
}

std::int64_t parse_lease_grant(const std::string& body) {
  const auto j = parse(body);
  if (auto why = string_of(j, "error"); !why.empty()) throw store_error("lease grant: " + why);
  const auto id = int64_of(j, "ID");
  if (id == 0) malformed("no lease ID in the lease grant answer");
  return id;
}

std::string lease_id_body(std::int64_t id) {
  return json{{"ID", std::to_string(id)}}.dump();
}

std::int64_t parse_keepalive(const std::string& body) {
  // A streaming RPC through the gateway: one {"result": …} per message.
  const auto j = parse(body.substr(0, body.find('\n')));
  auto it = j.find("result");
  return it == j.end() ? 0 : int64_of(*it, "TTL");
}

std::string authenticate_body(const std::string& user, const std::string& password) {
  return json{{"name", user}, {"password", password}}.dump();
}

std::string parse_token(const std::string& body) {
  auto token = string_of(parse(body), "token");
  if (token.empty()) malformed("no token in the authenticate answer");
  return token;
}

std::string watch_body(const std::vector<watch_spec>& watches) {
  std::string body;
  for (const auto& w : watches) {
    json create{{"key", to_base64(w.key)}, {"prev_kv", true}, {"progress_notify", true}};
    if (!w.range_end.empty()) create["range_end"] = to_base64(w.range_end);
    if (w.start_revision) create["start_revision"] = std::to_string(w.start_revision);
    body += json{{"create_request", create}}.dump();
  }
  return body;
}

watch_response parse_watch_response(const std::string& line) {
  const auto j = parse(line);
  if (auto err = j.find("error"); err != j.end()) {
    auto message = err->is_object() ? string_of(*err, "message") : err->dump();
    throw store_error("etcd ended the watch: " + message);
  }
  auto it = j.find("result");
  if (it == j.end() || !it->is_object()) malformed("a watch answer without a result");
  const auto& r = *it;
  watch_response out;
  out.watch_id = int64_of(r, "watch_id");
  out.revision = header_revision(r);
  out.created = bool_of(r, "created");
  out.canceled = bool_of(r, "canceled");
  out.compact_revision = int64_of(r, "compact_revision");
  out.cancel_reason = string_of(r, "cancel_reason");
  if (auto events = r.find("events"); events != r.end() && events->is_array())
    for (const auto& e : *events) {
      watch_event ev;
      ev.deleted = string_of(e, "type") == "DELETE";
      if (auto kv = e.find("kv"); kv != e.end()) ev.kv = kv_of(*kv);
      if (auto prev = e.find("prev_kv"); prev != e.end()) ev.previous = kv_of(*prev);
      out.events.push_back(std::move(ev));
    }
  return out;
}

std::optional<gateway_error> parse_error(const std::string& body) {
  json j;
  try {
    j = json::parse(body);
  } catch (const json::exception&) {
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("code")) return std::nullopt;
  gateway_error e;
  e.code = static_cast<int>(int64_of(j, "code"));
  e.message = string_of(j, "message");
  if (e.message.empty()) e.message = string_of(j, "error");
  return e;
}

}  // namespace em::etcd
