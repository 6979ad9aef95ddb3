#include "tools/emctl/server_view.hpp"

#include <algorithm>
#include <cctype>

#include "core/store/server_settings.hpp"
#include "core/util/error.hpp"

namespace emctl {
namespace {

using json = nlohmann::ordered_json;

json string_or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

struct property {
  const char* name;
  std::string (*text)(const em::server_record&);
  json (*to_json)(const em::server_record&);
  bool liveness = false;  // shown by default only where the store keeps it (etcd)
};

// SPEC 11: Running while its emsd holds its lease, Offline once the lease expired.
std::string service_state(const em::server_record& s) {
  if (!s.online) return {};
  return *s.online ? "Running" : "Offline";
}

// The one table both output forms come from, so text and JSON cannot drift.
const property properties[] = {
    {"Name", [](const em::server_record& s) { return s.name; },
     [](const em::server_record& s) { return json(s.name); }},
    {"MitigationsEnabled",
     [](const em::server_record& s) { return em::setting_text(s.mitigations_enabled); },
     [](const em::server_record& s) { return json(s.mitigations_enabled); }},
    {"MitigationsApplied", [](const em::server_record& s) { return em::setting_text(s.applied); },
     [](const em::server_record& s) { return json(s.applied); }},
    {"MitigationsBlocked", [](const em::server_record& s) { return em::setting_text(s.blocked); },
     [](const em::server_record& s) { return json(s.blocked); }},
    {"DataCollectionEnabled",
     [](const em::server_record& s) { return em::setting_text(s.data_collection_enabled); },
     [](const em::server_record& s) { return json(s.data_collection_enabled); }},
    {"InternetWebProxy", [](const em::server_record& s) { return s.internet_web_proxy; },
     [](const em::server_record& s) { return string_or_null(s.internet_web_proxy); }},
    {"Product", [](const em::server_record& s) { return s.product; },
     [](const em::server_record& s) { return json(s.product); }},
    {"Build", [](const em::server_record& s) { return s.build; },
     [](const em::server_record& s) { return json(s.build); }},
    {"LastCheck",
     [](const em::server_record& s) {
       return s.last_check ? em::format_rfc3339(*s.last_check) : std::string();
     },
     [](const em::server_record& s) {
       return s.last_check ? json(em::format_rfc3339(*s.last_check)) : json(nullptr);
     }},
    {"LastResult", [](const em::server_record& s) { return s.last_result; },
     [](const em::server_record& s) { return string_or_null(s.last_result); }},
    {"LastSeen",
     [](const em::server_record& s) {
       return s.last_seen ? em::format_rfc3339(*s.last_seen) : std::string();
     },
     [](const em::server_record& s) {
       return s.last_seen ? json(em::format_rfc3339(*s.last_seen)) : json(nullptr);
     },
     true},
    {"ServiceState", service_state,
     [](const em::server_record& s) { return string_or_null(service_state(s)); }, true},
};

bool same_ignoring_case(const std::string& a, const char* b) {
  const std::string other(b);
  return a.size() == other.size() &&
         std::equal(a.begin(), a.end(), other.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const property& find_property(const std::string& name) {
  for (const auto& p : properties)
    if (name == p.name) return p;
  throw em::invalid_input("unknown property '" + name + "'");  // resolved names only reach here
}

}  // namespace

const std::vector<std::string>& server_property_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& p : properties)
      out.emplace_back(p.name);
    return out;
  }();
  return names;
}

std::vector<std::string> resolve_server_properties(const std::vector<std::string>& requested) {
  if (requested.empty()) {
    std::vector<std::string> out;
    for (const auto& p : properties)
      if (!p.liveness) out.emplace_back(p.name);
    return out;
  }
  std::vector<std::string> out;
  for (const auto& name : requested) {
    auto it = std::find_if(std::begin(properties), std::end(properties),
                           [&](const property& p) { return same_ignoring_case(name, p.name); });
    if (it == std::end(properties)) {
      std::string known;
      for (const auto& p : properties)
        known += (known.empty() ? "" : ", ") + std::string(p.name);
      throw em::invalid_input("unknown property '" + name + "' for --property (one of " + known +
                              ")");
    }
    out.emplace_back(it->name);
  }
  return out;
}

std::string format_server(const em::server_record& server, const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += name + " : " + find_property(name).text(server) + "\n";
  return out;
}

nlohmann::ordered_json server_json(const em::server_record& server,
                                   const std::vector<std::string>& names) {
  json out = json::object();
  for (const auto& name : names)
    out[name] = find_property(name).to_json(server);
  return out;
}

std::vector<std::string> with_liveness(const std::vector<std::string>& names,
                                       const em::server_record& server) {
  if (!server.online) return names;
  auto out = names;
  for (const auto& p : properties)
    if (p.liveness) out.emplace_back(p.name);
  return out;
}

}  // namespace emctl
