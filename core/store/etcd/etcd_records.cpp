#include "core/store/etcd/etcd_records.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "core/util/error.hpp"

namespace em::etcd {
namespace {

using json = nlohmann::json;

// Reads one value; every mistake becomes one store_error naming the key.
class reader {
 public:
  reader(const std::string& key, const std::string& text) : key_(key) {
    try {
      j_ = json::parse(text);
    } catch (const json::exception& e) {
      fail(std::string("not JSON: ") + e.what());
    }
    if (!j_.is_object()) fail("not a JSON object");
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw store_error("etcd key " + key_ + ": bad value: " + why);
  }

  const json& at(const char* name) const {
    auto it = j_.find(name);
    if (it == j_.end()) fail(std::string("no '") + name + "'");
    return *it;
  }
  bool has(const char* name) const { return j_.contains(name) && !j_[name].is_null(); }

  std::string text(const char* name) const {
    const auto& v = at(name);
    if (!v.is_string()) fail(std::string("'") + name + "' is not a string");
    return v.get<std::string>();
  }
  std::string text_or(const char* name, std::string fallback = {}) const {
    return has(name) ? text(name) : fallback;
  }
  bool flag(const char* name, bool fallback) const {
    if (!has(name)) return fallback;
    const auto& v = at(name);
    if (!v.is_boolean()) fail(std::string("'") + name + "' is not true or false");
    return v.get<bool>();
  }
  std::vector<std::string> list(const char* name) const {
    std::vector<std::string> out;
    if (!has(name)) return out;
    const auto& v = at(name);
    if (!v.is_array()) fail(std::string("'") + name + "' is not a list");
    for (const auto& item : v) {
      if (!item.is_string()) fail(std::string("'") + name + "' holds a non-string");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  sys_time time(const char* name) const {
    auto t = parse_rfc3339(text(name));
    if (!t) fail(std::string("'") + name + "' is not an RFC 3339 time");
    return *t;
  }
  std::optional<sys_time> optional_time(const char* name) const {
    if (!has(name)) return std::nullopt;
    return time(name);
  }
  // Unsigned 64-bit values are kept as decimal strings: JSON tools often read
  // numbers as doubles, which cannot hold them.
  std::uint64_t number(const char* name) const {
    const auto t = text(name);
    if (t.empty() || t.size() > 20 || t.find_first_not_of("0123456789") != std::string::npos)
      fail(std::string("'") + name + "' is not an unsigned number");
    try {
      return std::stoull(t);
    } catch (const std::exception&) {
      fail(std::string("'") + name + "' is out of range");
    }
  }
  const json& raw() const { return j_; }

 private:
  std::string key_;
  json j_;
};

json status_json(const action_status& s) {
  return json{{"action_id", s.action_id},     {"type", s.type},
              {"description", s.description}, {"state", to_string(s.state)},
              {"reason", s.reason},           {"updated", format_rfc3339_ms(s.updated)}};
}

}  // namespace

std::string encode_time(sys_time t) {
  return json{{"at", format_rfc3339_ms(t)}}.dump();
}

sys_time decode_time(const std::string& key, const std::string& text) {
  return reader(key, text).time("at");
}

std::string encode(const org_value& v) {
  return json{{"organization_id", v.organization_id},
              {"mitigations_enabled", v.mitigations_enabled}}
      .dump();
}

org_value decode_org(const std::string& key, const std::string& text) {
  reader r(key, text);
  return {r.text("organization_id"), r.flag("mitigations_enabled", true)};
}

std::string encode(const settings_value& v) {
  return json{{"mitigations_enabled", v.mitigations_enabled},
              {"blocked", v.blocked},
              {"data_collection_enabled", v.data_collection_enabled},
              {"internet_web_proxy", v.internet_web_proxy}}
      .dump();
}

settings_value decode_settings(const std::string& key, const std::string& text) {
  reader r(key, text);
  settings_value v;
  v.mitigations_enabled = r.flag("mitigations_enabled", true);
  v.blocked = r.list("blocked");
  v.data_collection_enabled = r.flag("data_collection_enabled", false);
  v.internet_web_proxy = r.text_or("internet_web_proxy");
  return v;
}

std::string encode(const state_value& v) {
  json j{{"name", v.name},
         {"product", v.product},
         {"build", v.build},
         {"applied", v.applied},
         {"last_result", v.last_result},
         {"accepted_digest", v.accepted_digest},
         {"document_fingerprint", v.document_fingerprint}};
  if (v.last_check) j["last_check"] = format_rfc3339_ms(*v.last_check);
  if (v.highest_sequence) j["highest_sequence"] = std::to_string(*v.highest_sequence);
  return j.dump();
}

state_value decode_state(const std::string& key, const std::string& text) {
  reader r(key, text);
  state_value v;
  v.name = r.text("name");
  if (v.name.empty()) r.fail("'name' is empty");
  v.product = r.text_or("product");
  v.build = r.text_or("build");
  v.applied = r.list("applied");
  v.last_check = r.optional_time("last_check");
  v.last_result = r.text_or("last_result");
  if (r.has("highest_sequence")) v.highest_sequence = r.number("highest_sequence");
  v.accepted_digest = r.text_or("accepted_digest");
  v.document_fingerprint = r.text_or("document_fingerprint");
  return v;
}

std::string encode(const floor_value& v) {
  return json{{"sequence", std::to_string(v.sequence)}, {"digest", v.digest}, {"server", v.server}}
      .dump();
}

floor_value decode_floor(const std::string& key, const std::string& text) {
  reader r(key, text);
  return {r.number("sequence"), r.text_or("digest"), r.text("server")};
}

std::string encode(const live_value& v) {
  return json{{"host", v.host}, {"pid", v.pid}, {"since", format_rfc3339_ms(v.since)}}.dump();
}

live_value decode_live(const std::string& key, const std::string& text) {
  reader r(key, text);
  live_value v;
  v.host = r.text_or("host");
  if (r.has("pid") && r.at("pid").is_number_integer()) v.pid = r.at("pid").get<std::int64_t>();
  v.since = r.time("since");
  return v;
}

std::string encode_statuses(const std::string& server, const std::vector<action_status>& list) {
  json arr = json::array();
  for (const auto& s : list)
    arr.push_back(status_json(s));
  return json{{"server", server}, {"statuses", arr}}.dump();
}

std::vector<action_status> decode_statuses(const std::string& key, const std::string& text) {
  reader r(key, text);
  const auto server = r.text("server");
  const auto& arr = r.at("statuses");
  if (!arr.is_array()) r.fail("'statuses' is not a list");
  std::vector<action_status> out;
  for (const auto& item : arr) {
    if (!item.is_object()) r.fail("a status is not an object");
    reader s(key, item.dump());
    action_status a;
    a.server = server;
    a.action_id = s.text("action_id");
    a.type = s.text_or("type");
    a.description = s.text_or("description");
    const auto state_text = s.text("state");
    const auto state = parse_action_state(state_text);
    if (!state) r.fail("unknown action state '" + state_text + "'");
    a.state = *state;
    a.reason = s.text_or("reason");
    a.updated = s.time("updated");
    out.push_back(std::move(a));
  }
  return out;
}

std::string encode(const stored_document& v) {
  return json{{"source", v.source},
              {"etag", v.etag},
              {"bytes", v.bytes},
              {"digest", v.digest},
              {"fetched_at", format_rfc3339_ms(v.fetched_at)}}
      .dump();
}

std::string fingerprint(const stored_document& v) {
  const std::string text = v.source + '\0' + v.etag + '\0' + v.bytes;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), md, &size, EVP_sha256(), nullptr) != 1)
    throw store_error("cannot compute SHA-256");
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

stored_document decode_document(const std::string& key, const std::string& text) {
  reader r(key, text);
  return {r.text("source"), r.text_or("etag"), r.text("bytes"), r.text_or("digest"),
          r.time("fetched_at")};
}

std::string encode(const audit_entry& v) {
  return json{{"at", format_rfc3339_ms(v.at)}, {"user", v.user},     {"target", v.target},
              {"setting", v.setting},          {"old", v.old_value}, {"new", v.new_value}}
      .dump();
}

audit_entry decode_audit(const std::string& key, const std::string& text) {
  reader r(key, text);
  audit_entry e;
  e.at = r.time("at");
  e.user = r.text("user");
  e.target = r.text("target");
  e.setting = r.text("setting");
  e.old_value = r.text_or("old");
  e.new_value = r.text_or("new");
  return e;
}

server_record make_record(const state_value& state, const std::optional<settings_value>& settings) {
  server_record r;
  r.name = state.name;
  const settings_value defaults;
  const auto& s = settings ? *settings : defaults;
  r.mitigations_enabled = s.mitigations_enabled;
  r.blocked = s.blocked;
  r.data_collection_enabled = s.data_collection_enabled;
  r.internet_web_proxy = s.internet_web_proxy;
  r.applied = state.applied;
  r.product = state.product;
  r.build = state.build;
  r.last_check = state.last_check;
  r.last_result = state.last_result;
  r.highest_sequence = state.highest_sequence;
  r.accepted_digest = state.accepted_digest;
  return r;
}

}  // namespace em::etcd
