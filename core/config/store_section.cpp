#include "core/config/store_section.hpp"

#include <set>

#include "core/fetch/parsed_url.hpp"
#include "core/util/duration.hpp"

namespace em {
namespace {

constexpr std::size_t max_endpoints = 16;
constexpr std::size_t max_prefix = 200;
constexpr std::chrono::milliseconds max_timeout{300'000};

bool is_loopback(const parsed_url& url) {
  return url.host == "localhost" || url.host == "::1" || url.host.rfind("127.", 0) == 0;
}

void check_endpoint(const toml_reader& r, const toml::node& n, const std::string& key,
                    const std::string& url) {
  std::string why;
  auto parsed = parsed_url::parse(url, &why);
  if (!parsed) r.fail(n, key, "bad endpoint '" + url + "': " + why);
  // A password or a token travels with every request: never in clear text
  // over a network, only over the loopback interface.
  if (!parsed->tls() && !is_loopback(*parsed))
    r.fail(n, key,
           "endpoint '" + url +
               "': plain http:// is allowed only to a loopback address; use "
               "https:// with ca_file");
  if (parsed->target != "/")
    r.fail(n, key,
           "endpoint '" + url +
               "': give the member's address only (https://host:port), "
               "without a path");
}

void check_prefix(const toml_reader& r, const toml::node& n, const std::string& prefix) {
  const std::string key = "store.etcd.prefix";
  if (prefix.size() < 2 || prefix.front() != '/' || prefix.back() != '/')
    r.fail(n, key,
           "bad prefix '" + prefix +
               "': it starts and ends with '/' (e.g. \"/emservice/contoso/\"), so one "
               "organisation's keys never run into another's");
  if (prefix.size() > max_prefix)
    r.fail(n, key, "prefix longer than " + std::to_string(max_prefix) + " characters");
  for (char c : prefix)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      r.fail(n, key, "bad prefix '" + prefix + "': no spaces or control characters");
  if (prefix.find("//") != std::string::npos)
    r.fail(n, key, "bad prefix '" + prefix + "': an empty path segment ('//')");
}

etcd_section read_etcd_table(const toml_reader& r, const toml::node& node) {
  const auto& t = r.as_table(node, "store.etcd");
  r.refuse_unknown_keys(t, "store.etcd",
                        {"endpoints", "prefix", "ca_file", "cert_file", "key_file", "user",
                         "password_file", "timeout"});
  etcd_section out;
  if (const auto* n = t.get("endpoints")) {
    out.endpoints = r.as_string_array(*n, "store.etcd.endpoints");
    if (out.endpoints.empty()) r.fail(*n, "store.etcd.endpoints", "at least one endpoint");
    if (out.endpoints.size() > max_endpoints)
      r.fail(*n, "store.etcd.endpoints",
             "more than " + std::to_string(max_endpoints) + " endpoints");
    std::set<std::string> seen;
    const auto& arr = *n->as_array();
    for (std::size_t i = 0; i < out.endpoints.size(); ++i) {
      const auto key = "store.etcd.endpoints[" + std::to_string(i) + "]";
      check_endpoint(r, arr[i], key, out.endpoints[i]);
      if (!seen.insert(out.endpoints[i]).second)
        r.fail(arr[i], key, "endpoint '" + out.endpoints[i] + "' is listed twice");
    }
  } else {
    r.fail(node, "store.etcd.endpoints",
           "missing (the etcd members, e.g. [\"https://10.0.0.1:2379\"])");
  }
  if (const auto* n = t.get("prefix")) {
    out.prefix = r.as_string(*n, "store.etcd.prefix");
    check_prefix(r, *n, out.prefix);
  } else {
    r.fail(node, "store.etcd.prefix",
           "missing (one organisation per prefix, e.g. \"/emservice/contoso/\")");
  }
  if (const auto* n = t.get("ca_file")) out.ca_file = r.as_path(*n, "store.etcd.ca_file");
  if (const auto* n = t.get("cert_file")) out.cert_file = r.as_path(*n, "store.etcd.cert_file");
  if (const auto* n = t.get("key_file")) out.key_file = r.as_path(*n, "store.etcd.key_file");
  if (out.cert_file.has_value() != out.key_file.has_value())
    r.fail(*t.get(out.cert_file ? "cert_file" : "key_file"),
           out.cert_file ? "store.etcd.cert_file" : "store.etcd.key_file",
           "cert_file and key_file go together (the client certificate and its key)");
  if (const auto* n = t.get("user")) {
    out.user = r.as_string(*n, "store.etcd.user");
    if (out.user.empty()) r.fail(*n, "store.etcd.user", "must not be empty");
  }
  if (const auto* n = t.get("password_file"))
    out.password_file = r.as_path(*n, "store.etcd.password_file");
  if (out.user.empty() != !out.password_file.has_value())
    r.fail(*t.get(out.user.empty() ? "password_file" : "user"),
           out.user.empty() ? "store.etcd.password_file" : "store.etcd.user",
           "user and password_file go together (etcd's own authentication)");
  if (const auto* n = t.get("timeout")) {
    out.timeout = r.as_duration(*n, "store.etcd.timeout");
    if (out.timeout.count() <= 0 || out.timeout > max_timeout)
      r.fail(*n, "store.etcd.timeout",
             "must be longer than 0s and at most " + format_duration(max_timeout));
  }
  return out;
}

}  // namespace

void read_store_section(const toml_reader& r, const toml::node& node, store_section& out) {
  const auto& t = r.as_table(node, "store");
  r.refuse_unknown_keys(t, "store", {"backend", "path", "etcd"});
  if (const auto* n = t.get("backend")) {
    auto v = r.as_string(*n, "store.backend");
    if (v != "sqlite" && v != "etcd")
      r.fail(*n, "store.backend", "unsupported backend '" + v + "' (\"sqlite\" or \"etcd\")");
    out.backend = v;
  }
  if (const auto* n = t.get("path")) out.path = r.as_path(*n, "store.path");
  if (const auto* n = t.get("etcd")) out.etcd = read_etcd_table(r, *n);
  if (out.backend == "etcd" && !out.etcd)
    r.fail(*t.get("backend"), "store.backend",
           "backend is \"etcd\" but there is no [store.etcd] table (endpoints, prefix)");
}

}  // namespace em
