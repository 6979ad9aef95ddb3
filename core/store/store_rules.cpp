#include "core/store/store_rules.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "core/store/server_settings.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

std::string lowercase(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// M1.2 before M1.10: the Config ID as text, then the position as a number.
auto action_key(const std::string& id) {
  const auto dot = id.rfind('.');
  if (dot == std::string::npos) return std::make_tuple(id, std::size_t{0}, std::string{});
  auto n = id.substr(dot + 1);
  return std::make_tuple(id.substr(0, dot), n.size(), n);
}

}  // namespace

void check_server_name(const std::string& name) {
  const bool printable = std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  });
  if (name.empty() || name.size() > 255 || !printable)
    throw invalid_input("bad server name '" + name + "' (1 to 255 printable characters)");
}

void check_changes(const server_changes& changes) {
  if (changes.blocked)
    for (const auto& id : *changes.blocked)
      if (!is_valid_blocked_id(id))
        throw invalid_input("malformed mitigation ID '" + id + "' in MitigationsBlocked");
  if (changes.internet_web_proxy && !changes.internet_web_proxy->empty() &&
      !is_valid_proxy_url(*changes.internet_web_proxy))
    throw invalid_input("bad URL '" + *changes.internet_web_proxy +
                        "' for InternetWebProxy (http:// or https:// with a host)");
}

void check_cycle(const cycle_record& record) {
  std::set<std::string> seen;
  for (const auto& s : record.statuses)
    if (!seen.insert(s.action_id).second)
      throw invalid_input("action ID '" + s.action_id + "' appears twice in a cycle's statuses");
}

std::vector<std::string> unique_in_order(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& id : ids)
    if (seen.insert(id).second) out.push_back(id);
  return out;
}

bool same_server_name(const std::string& a, const std::string& b) {
  return lowercase(a) == lowercase(b);
}

bool server_name_less(const std::string& a, const std::string& b) {
  return lowercase(a) < lowercase(b);
}

void sort_statuses(std::vector<action_status>& statuses) {
  std::sort(statuses.begin(), statuses.end(), [](const action_status& a, const action_status& b) {
    return std::make_tuple(lowercase(a.server), action_key(a.action_id)) <
           std::make_tuple(lowercase(b.server), action_key(b.action_id));
  });
}

std::vector<setting_change> diff_settings(const server_record& old, const server_changes& changes,
                                          server_record& next) {
  std::vector<setting_change> out;
  next = old;
  if (changes.mitigations_enabled && *changes.mitigations_enabled != old.mitigations_enabled) {
    next.mitigations_enabled = *changes.mitigations_enabled;
    out.push_back({"MitigationsEnabled", setting_text(old.mitigations_enabled),
                   setting_text(next.mitigations_enabled)});
  }
  if (changes.blocked) {
    auto blocked = unique_in_order(*changes.blocked);
    if (blocked != old.blocked) {
      next.blocked = blocked;
      out.push_back({"MitigationsBlocked", setting_text(old.blocked), setting_text(blocked)});
    }
  }
  if (changes.data_collection_enabled &&
      *changes.data_collection_enabled != old.data_collection_enabled) {
    next.data_collection_enabled = *changes.data_collection_enabled;
    out.push_back({"DataCollectionEnabled", setting_text(old.data_collection_enabled),
                   setting_text(next.data_collection_enabled)});
  }
  if (changes.internet_web_proxy && *changes.internet_web_proxy != old.internet_web_proxy) {
    next.internet_web_proxy = *changes.internet_web_proxy;
    out.push_back({"InternetWebProxy", old.internet_web_proxy, next.internet_web_proxy});
  }
  return out;
}

}  // namespace em
