#include "core/rules/rule_parser.hpp"

#include <rapidxml/rapidxml.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace em::rules {
namespace {

using node = rapidxml::xml_node<char>;

[[noreturn]] void fail(const std::string& why) {
  throw invalid_input(why);
}

std::string name_of(const node* n) {
  return std::string(n->name(), n->name_size());
}

std::string where(const node* n) {
  return "<" + name_of(n) + ">";
}

std::string shown(const std::string& value) {
  std::string out = value.size() > 80 ? value.substr(0, 77) + "..." : value;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return out;
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// IIS reads booleans and enumerations without regard to case.
bool iequals(const std::string& a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

// An element's attributes by name, checked once: only `known`, none twice,
// no control characters, the `required` ones present.
class attributes {
 public:
  attributes(const node* e, std::initializer_list<const char*> known,
             std::initializer_list<const char*> required = {})
      : element_(e) {
    for (auto* a = e->first_attribute(); a; a = a->next_attribute()) {
      std::string name(a->name(), a->name_size());
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; }))
        fail(where(e) + " has unknown attribute '" + name + "'");
      std::string value(a->value(), a->value_size());
      if (std::any_of(value.begin(), value.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        fail(where(e) + " " + name + " '" + shown(value) + "' holds a control character");
      if (!values_.emplace(name, std::move(value)).second)
        fail(where(e) + " has attribute '" + name + "' twice");
    }
    for (const char* r : required)
      if (!values_.count(r)) fail(where(e) + " needs attribute " + r);
  }

  std::optional<std::string> get(const char* name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

  bool flag(const char* name, bool fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    if (iequals(*v, "true")) return true;
    if (iequals(*v, "false")) return false;
    fail(where(element_) + " " + name + " '" + shown(*v) + "' is not true or false");
  }

  // The index of the value among `choices` (compared without regard to case).
  std::size_t choice(const char* name, std::initializer_list<const char*> choices,
                     std::size_t fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    std::size_t i = 0;
    for (const char* c : choices) {
      if (iequals(*v, c)) return i;
      ++i;
    }
    std::string list;
    for (const char* c : choices)
      list += (list.empty() ? "" : ", ") + std::string(c);
    fail(where(element_) + " " + name + " '" + shown(*v) + "' is not one of " + list);
  }

  int number(const char* name, int min, int max, int fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    int n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (v->empty() || ec != std::errc{} || end != v->data() + v->size() || n < min || n > max)
      fail(where(element_) + " " + name + " '" + shown(*v) + "' is not a number from " +
           std::to_string(min) + " to " + std::to_string(max));
    return n;
  }

 private:
  const node* element_;
  std::map<std::string, std::string> values_;
};

// The element children of `e`, each among `allowed`, those in `once` at most
// once; text (other than white space) is refused.
std::vector<const node*> children(const node* e, std::initializer_list<const char*> allowed,
                                  std::initializer_list<const char*> once = {}) {
  std::vector<const node*> out;
  std::set<std::string> seen;
  for (auto* c = e->first_node(); c; c = c->next_sibling()) {
    if (c->type() == rapidxml::node_data || c->type() == rapidxml::node_cdata) {
      std::string text(c->value(), c->value_size());
      if (text.find_first_not_of(" \t\r\n") != std::string::npos)
        fail(where(e) + " must not contain text");
      continue;
    }
    if (c->type() != rapidxml::node_element) continue;
    const std::string name = name_of(c);
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; }))
      fail(where(e) + " has unexpected element <" + name + ">");
    const bool single =
        std::any_of(once.begin(), once.end(), [&](const char* o) { return name == o; });
    if (single && !seen.insert(name).second) fail(where(e) + " has more than one <" + name + ">");
    out.push_back(c);
  }
  return out;
}

std::shared_ptr<const pattern> compiled(const node* e, const char* attribute,
                                        const std::string& text, bool ignore_case) {
  try {
    return pattern::compile(text, ignore_case);
  } catch (const invalid_input& err) {
    fail(where(e) + " " + attribute + ": " + err.what());
  }
}

void parse_match(const node* match, url_rewrite_rule& rule) {
  children(match, {});
  attributes a(match, {"url", "ignoreCase", "negate"}, {"url"});
  if (a.get("url")->find_first_not_of(' ') == std::string::npos)
    fail("<match> url must not be empty");
  rule.match = compiled(match, "url", *a.get("url"), a.flag("ignoreCase", true));
  rule.match_negate = a.flag("negate", false);
}

rule_condition parse_condition(const node* add) {
  children(add, {});
  attributes a(add, {"input", "matchType", "pattern", "ignoreCase", "negate"}, {"input"});
  const auto match_type = a.choice("matchType", {"Pattern", "IsFile", "IsDirectory"}, 0);
  if (match_type != 0)
    fail("<add> matchType '" + *a.get("matchType") +
         "' is not supported: it tests a file on the web server, and there is none behind a "
         "proxy (only matchType Pattern is enforced)");
  rule_input input = [&] {
    try {
      return rule_input::parse(*a.get("input"));
    } catch (const invalid_input& err) {
      fail(std::string("<add> ") + err.what());
    }
  }();
  return {std::move(input),
          compiled(add, "pattern", a.get("pattern").value_or(""), a.flag("ignoreCase", true)),
          a.flag("negate", false)};
}

void parse_conditions(const node* conditions, url_rewrite_rule& rule) {
  attributes a(conditions, {"logicalGrouping", "trackAllCaptures"});
  rule.grouping = a.choice("logicalGrouping", {"MatchAll", "MatchAny"}, 0) == 0
                      ? logical_grouping::match_all
                      : logical_grouping::match_any;
  a.flag("trackAllCaptures", false);  // only changes back-references, which nothing here uses
  for (const node* c : children(conditions, {"add", "clear"})) {
    if (name_of(c) == "clear") {
      children(c, {});
      attributes(c, {});
      rule.conditions.clear();  // as IIS reads the collection: what came before is gone
      continue;
    }
    rule.conditions.push_back(parse_condition(c));
    if (rule.conditions.size() > max_conditions)
      fail("<conditions> has more than " + std::to_string(max_conditions) + " <add> elements");
  }
}

void parse_redirect(const node* e, const attributes& a, rule_action& out) {
  static const int codes[] = {301, 302, 303, 307};
  out.status_code =
      codes[a.choice("redirectType", {"Permanent", "Found", "SeeOther", "Temporary"}, 0)];
  out.url = a.get("url").value_or("");
  if (out.url.find_first_not_of(" ") == std::string::npos)
    fail("<action type=\"Redirect\"> needs a url");
  if (out.url.find_first_of(" {}") != std::string::npos)
    fail(where(e) + " url '" + shown(out.url) +
         "' holds a space, '{' or '}': back-references and server variables in a Redirect URL "
         "are not supported, only a literal URL");
  out.append_query_string = a.flag("appendQueryString", true);
}

void parse_custom_response(const attributes& a, rule_action& out) {
  if (!a.get("statusCode")) fail("<action type=\"CustomResponse\"> needs a statusCode");
  // A 1xx is never a final answer; IIS's own upper bound is 999, HTTP's 599.
  out.status_code = a.number("statusCode", 200, 599, 0);
  if (out.status_code >= 300 && out.status_code < 400)
    fail("<action type=\"CustomResponse\"> statusCode " + std::to_string(out.status_code) +
         " is a redirection without a target: use a Redirect action");
  out.sub_status_code = a.number("subStatusCode", 0, 999, 0);
  out.status_reason = a.get("statusReason").value_or("");
  out.status_description = a.get("statusDescription").value_or("");
}

rule_action parse_action(const node* e) {
  children(e, {});
  attributes a(e, {"type", "url", "appendQueryString", "logRewrittenUrl", "redirectType",
                   "statusCode", "subStatusCode", "statusReason", "statusDescription"});
  rule_action out;
  switch (a.choice("type", {"None", "Rewrite", "Redirect", "CustomResponse", "AbortRequest"}, 0)) {
    case 0:
      out.type = action_type::none;
      break;
    case 1:
      fail(
          "<action type=\"Rewrite\"> is not supported: it changes what the backend serves; "
          "only None, AbortRequest, CustomResponse and Redirect are enforced");
    case 2:
      out.type = action_type::redirect;
      parse_redirect(e, a, out);
      break;
    case 3:
      out.type = action_type::custom_response;
      parse_custom_response(a, out);
      break;
    default:
      out.type = action_type::abort_request;
      break;
  }
  a.flag("logRewrittenUrl", false);
  if (out.type != action_type::redirect) {
    a.flag("appendQueryString", true);
    a.choice("redirectType", {"Permanent", "Found", "SeeOther", "Temporary"}, 0);
  }
  if (out.type != action_type::custom_response) {
    a.number("statusCode", 100, 999, 0);
    a.number("subStatusCode", 0, 999, 0);
  }
  return out;
}

url_rewrite_rule parse_rule(const node* rule) {
  attributes a(rule, {"name", "enabled", "patternSyntax", "stopProcessing"}, {"name"});
  url_rewrite_rule out;
  out.name = *a.get("name");
  if (out.name.find_first_not_of(" ") == std::string::npos) fail("<rule> name must not be empty");
  if (out.name.size() > 256) fail("<rule> name is longer than 256 characters");
  if (a.choice("patternSyntax", {"ECMAScript", "Wildcard", "ExactMatch"}, 0) != 0)
    fail("<rule> patternSyntax '" + *a.get("patternSyntax") +
         "' is not supported: only ECMAScript patterns (the default) are enforced");
  out.enabled = a.flag("enabled", true);
  out.stop_processing = a.flag("stopProcessing", false);
  const node* match = nullptr;
  const node* conditions = nullptr;
  const node* action = nullptr;
  for (const node* c : children(rule, {"match", "conditions", "serverVariables", "action"},
                                {"match", "conditions", "serverVariables", "action"})) {
    const std::string name = name_of(c);
    if (name == "serverVariables")
      fail("<serverVariables> is not supported: a proxy cannot set IIS server variables");
    (name == "match" ? match : name == "conditions" ? conditions : action) = c;
  }
  if (!match) fail("<rule> needs a <match url=\"…\"> element");
  parse_match(match, out);
  if (conditions) parse_conditions(conditions, out);
  if (action) out.action = parse_action(action);
  return out;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int extra = c < 0x80         ? 0
                      : (c >> 5) == 6  ? 1
                      : (c >> 4) == 14 ? 2
                      : (c >> 3) == 30 ? 3
                                       : -1;
    if (extra < 0 || i + extra >= s.size()) return false;
    std::uint32_t cp = extra == 0 ? c : c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static const std::uint32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

bool known_entity(const std::string& ref) {
  if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return true;
  if (ref.size() < 2 || ref[0] != '#') return false;
  if (ref[1] == 'x')
    return ref.size() > 2 &&
           ref.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos;
  return ref.find_first_not_of("0123456789", 1) == std::string::npos;
}

[[noreturn]] void not_xml(const std::string& why) {
  fail("the UrlRewrite Value is not well-formed XML: " + why);
}

// What an XML parser (libxml2, the rewrite plugin's) refuses and RapidXML
// lets through: bytes that are not UTF-8, a '<' inside an attribute value,
// an entity reference other than XML's own. One pass; comments, CDATA and
// processing instructions are skipped whole.
void check_xml_text(const std::string& xml) {
  if (!valid_utf8(xml)) not_xml("it is not UTF-8");
  bool in_tag = false;
  char quote = 0;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const char c = xml[i];
    if (!in_tag && c == '<') {
      for (auto [open, close] : {std::pair{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}})
        if (xml.compare(i, std::string(open).size(), open) == 0) {
          const std::size_t end = xml.find(close, i);
          if (end == std::string::npos) not_xml(std::string("an unterminated ") + open);
          i = end + std::string(close).size() - 1;
          break;
        }
      if (xml[i] == '<') in_tag = true;
      continue;
    }
    if (in_tag && !quote && (c == '"' || c == '\'')) {
      quote = c;
    } else if (quote && c == quote) {
      quote = 0;
    } else if (quote && c == '<') {
      not_xml("'<' in an attribute value (write &lt;)");
    } else if (in_tag && !quote && c == '>') {
      in_tag = false;
    } else if (c == '&') {
      const std::size_t end = xml.find(';', i);
      const std::string ref = xml.substr(i + 1, end == std::string::npos ? 0 : end - i - 1);
      if (end == std::string::npos || !known_entity(ref))
        not_xml("'&" + shown(ref) + "' is not an XML entity reference");
    }
  }
}

}  // namespace

url_rewrite_rule parse_url_rewrite_rule(const std::string& value_xml) {
  if (value_xml.size() > max_rule_xml)
    fail("a UrlRewrite Value is limited to " + std::to_string(max_rule_xml) + " bytes");
  if (value_xml.find('\0') != std::string::npos) fail("a UrlRewrite Value holds a NUL character");
  // RapidXML skips a DTD silently; a rule never has one.
  if (value_xml.find("<!DOCTYPE") != std::string::npos ||
      value_xml.find("<!ENTITY") != std::string::npos)
    fail("a UrlRewrite Value must not hold a DOCTYPE or an entity declaration");
  check_xml_text(value_xml);
  std::vector<char> buffer;
  const std::string wrapped = "<Value>" + value_xml + "</Value>";
  buffer.assign(wrapped.begin(), wrapped.end());
  buffer.push_back('\0');
  rapidxml::xml_document<char> doc;
  try {
    doc.parse<rapidxml::parse_validate_closing_tags>(buffer.data());
  } catch (const rapidxml::parse_error& e) {
    fail(std::string("the UrlRewrite Value is not well-formed XML: ") + e.what());
  }
  const node* root = doc.first_node();
  std::vector<const node*> rules;
  try {
    rules = children(root, {"rule"});
  } catch (const invalid_input&) {
    rules.clear();
  }
  if (rules.size() != 1)
    fail("a UrlRewrite Value must be exactly one IIS URL Rewrite <rule> element");
  return parse_rule(rules[0]);
}

}  // namespace em::rules
