#include "core/model/document_parser.hpp"

#include <rapidxml/rapidxml.hpp>
#include <rapidxml/rapidxml_print.hpp>

#include <charconv>
#include <initializer_list>
#include <iterator>
#include <map>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace em {
namespace {

using node = rapidxml::xml_node<char>;

std::string name_of(const node* n) {
  return std::string(n->name(), n->name_size());
}

const char* attr(const node* n, const char* name) {
  auto* a = n->first_attribute(name);
  return a ? a->value() : nullptr;
}

std::string attr_or_empty(const node* n, const char* name) {
  const char* v = attr(n, name);
  return v ? v : "";
}

// The element's attributes must all be among `known`; returns the first that is not.
std::string unknown_attribute(const node* n, std::initializer_list<const char*> known) {
  for (auto* a = n->first_attribute(); a; a = a->next_attribute()) {
    std::string name(a->name(), a->name_size());
    bool ok = false;
    for (const char* k : known)
      ok = ok || name == k;
    if (!ok) return name;
  }
  return {};
}

std::optional<std::uint64_t> parse_u64(const std::string& s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string inner_xml(const node* n) {
  std::string out;
  for (auto* c = n->first_node(); c; c = c->next_sibling())
    rapidxml::print(std::back_inserter(out), *c, rapidxml::print_no_indenting);
  return out;
}

// Returns an empty string when the range is good, else the reason.
std::string parse_range(const node* r, build_range& out) {
  if (auto bad = unknown_attribute(r, {"product", "min", "max"}); !bad.empty())
    return "Range has unknown attribute '" + bad + "'";
  out.product = attr_or_empty(r, "product");
  if (out.product.empty()) return "Range without product";
  for (auto [key, slot] : {std::pair{"min", &out.min}, std::pair{"max", &out.max}}) {
    if (const char* v = attr(r, key)) {
      *slot = build_version::parse(v);
      if (!*slot) return std::string("Range ") + key + " '" + v + "' is not a build number";
    }
  }
  if (out.min && out.max && *out.max < *out.min)
    return "Range min " + out.min->to_string() + " is above max " + out.max->to_string();
  return {};
}

std::string parse_action(const node* a, const std::string& config_id, size_t index,
                         mitigation_action& out) {
  if (auto bad = unknown_attribute(a, {"type", "scope", "target", "desc"}); !bad.empty())
    return "Action " + std::to_string(index) + " has unknown attribute '" + bad + "'";
  out.id = config_id + "." + std::to_string(index);
  out.type = attr_or_empty(a, "type");
  out.scope = attr_or_empty(a, "scope");
  out.target = attr_or_empty(a, "target");
  out.desc = attr_or_empty(a, "desc");
  if (out.type.empty()) return "Action " + out.id + " has no type";
  if (!out.scope.empty() && out.scope != "Server" && out.scope != "Site" && out.scope != "VDir")
    return "Action " + out.id + " has scope '" + out.scope + "' (Server, Site or VDir expected)";
  const node* value = nullptr;
  for (auto* c = a->first_node(); c; c = c->next_sibling()) {
    if (c->type() != rapidxml::node_element) continue;
    if (name_of(c) != "Value" || value)
      return "Action " + out.id + " has unexpected element <" + name_of(c) + ">";
    value = c;
  }
  if (value) out.value_xml = inner_xml(value);
  return {};
}

// Returns an empty string when the Config is good, else the reason.
std::string parse_config(const node* c, mitigation& out) {
  if (auto bad = unknown_attribute(c, {"id", "desc"}); !bad.empty())
    return "Config has unknown attribute '" + bad + "'";
  out.id = attr_or_empty(c, "id");
  out.desc = attr_or_empty(c, "desc");
  if (!is_valid_mitigation_id(out.id))
    return "Config id '" + out.id + "' is not 1-32 characters of [A-Za-z0-9_-]";
  bool seen_actions = false;
  for (auto* child = c->first_node(); child; child = child->next_sibling()) {
    if (child->type() != rapidxml::node_element) continue;
    auto name = name_of(child);
    if (name == "Applicability" && !out.has_applicability) {
      out.has_applicability = true;
      for (auto* r = child->first_node(); r; r = r->next_sibling()) {
        if (r->type() != rapidxml::node_element) continue;
        if (name_of(r) != "Range")
          return "Applicability has unexpected element <" + name_of(r) + ">";
        build_range range;
        if (auto why = parse_range(r, range); !why.empty()) return why;
        out.ranges.push_back(std::move(range));
      }
    } else if (name == "ActionList" && !seen_actions) {
      seen_actions = true;
      size_t index = 0;
      for (auto* a = child->first_node(); a; a = a->next_sibling()) {
        if (a->type() != rapidxml::node_element) continue;
        if (name_of(a) != "Action") return "ActionList has unexpected element <" + name_of(a) + ">";
        mitigation_action action;
        if (auto why = parse_action(a, out.id, ++index, action); !why.empty()) return why;
        out.actions.push_back(std::move(action));
      }
    } else if (name == "Rollback" && out.rollback.empty()) {
      out.rollback = std::string(child->value(), child->value_size());
    } else {
      return "unexpected or repeated element <" + name + ">";
    }
  }
  if (!seen_actions) return "no ActionList";
  if (out.actions.empty()) return "empty ActionList";
  return {};
}

void parse_root_attributes(const node* root, mitigation_document& doc) {
  if (auto bad = unknown_attribute(root, {"version", "sequence", "expires"}); !bad.empty())
    throw invalid_input("EOCS has unknown attribute '" + bad + "'");
  doc.version = attr_or_empty(root, "version");
  if (const char* s = attr(root, "sequence")) {
    doc.sequence = parse_u64(s);
    if (!doc.sequence)
      throw invalid_input(std::string("sequence '") + s + "' is not an unsigned 64-bit number");
  }
  if (const char* e = attr(root, "expires")) {
    doc.expires = parse_rfc3339(e);
    if (!doc.expires)
      throw invalid_input(std::string("expires '") + e + "' is not an RFC 3339 time");
    // SPEC 2: UTC, written with Z; an offset is refused rather than converted.
    const std::string_view text(e);
    if (text.back() != 'Z' && text.back() != 'z')
      throw invalid_input(std::string("expires '") + e + "' is not in UTC (end it with Z)");
  }
}

}  // namespace

mitigation_document parse_mitigation_document(std::string_view xml) {
  std::vector<char> buffer(xml.begin(), xml.end());
  buffer.push_back('\0');
  rapidxml::xml_document<char> parsed;
  try {
    parsed.parse<rapidxml::parse_validate_closing_tags>(buffer.data());
  } catch (const rapidxml::parse_error& e) {
    throw invalid_input(std::string("malformed XML: ") + e.what());
  }
  const node* root = parsed.first_node();
  while (root && root->type() != rapidxml::node_element)
    root = root->next_sibling();
  if (!root || name_of(root) != "EOCS") throw invalid_input("the root element is not EOCS");

  mitigation_document doc;
  parse_root_attributes(root, doc);
  // Which of two Configs with one id is meant cannot be told: both are refused.
  std::map<std::string, int> id_count;
  for (auto* c = root->first_node("Config"); c; c = c->next_sibling("Config"))
    ++id_count[attr_or_empty(c, "id")];
  for (auto* c = root->first_node(); c; c = c->next_sibling()) {
    if (c->type() != rapidxml::node_element) continue;
    auto name = name_of(c);
    if (name == "Signature") continue;  // absent from verified bytes; tolerated elsewhere
    if (name != "Config") throw invalid_input("EOCS has unexpected element <" + name + ">");
    mitigation m;
    auto why = parse_config(c, m);
    const std::string id = attr_or_empty(c, "id");
    if (why.empty() && id_count[id] > 1)
      why = "duplicate Config id '" + id + "' (" + std::to_string(id_count[id]) + " Configs)";
    if (!why.empty()) {
      doc.rejected.push_back({attr_or_empty(c, "id"), why});
      continue;
    }
    doc.mitigations.push_back(std::move(m));
  }
  return doc;
}

}  // namespace em
