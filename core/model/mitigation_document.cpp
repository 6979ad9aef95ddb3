#include "core/model/mitigation_document.hpp"

#include <algorithm>
#include <cctype>

namespace em {

bool build_range::contains(const std::string& server_product, const build_version& build) const {
  if (product != server_product) return false;
  if (min && build < *min) return false;
  if (max && build > *max) return false;
  return true;
}

bool mitigation::applies_to(const std::string& product, const build_version& build) const {
  if (!has_applicability) return true;
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const build_range& r) { return r.contains(product, build); });
}

bool is_valid_mitigation_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

bool is_valid_action_id(const std::string& id) {
  auto dot = id.rfind('.');
  if (dot == std::string::npos || dot + 1 == id.size()) return false;
  if (!is_valid_mitigation_id(id.substr(0, dot))) return false;
  auto n = id.substr(dot + 1);
  if (n.size() > 9 || n[0] == '0') return false;
  return std::all_of(n.begin(), n.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace em
