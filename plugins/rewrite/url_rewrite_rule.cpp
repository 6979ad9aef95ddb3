#include "plugins/rewrite/url_rewrite_rule.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>
#include <vector>

#include "core/rules/pattern.hpp"
#include "core/rules/rule_parser.hpp"
#include "core/util/error.hpp"
#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"

namespace emrewrite {
namespace {

using emplugin::plugin_error;

enum class kind { text, flag, choice, number, pattern };

struct attr_def {
  const char* name;
  kind k;
  bool required = false;
  std::vector<const char*> choices = {};  // for choice
  int min = 0, max = 0;                   // for number
};

const std::vector<const char*> bools = {"true", "false"};

std::string where(const xmlNode* e) {
  return "<" + emplugin::name_of(e) + ">";
}

std::string attr_name(const xmlAttr* a) {
  return reinterpret_cast<const char*>(a->name);
}

// PCRE2 as core/rules (and nginx) compile it, so this plugin and the nginx
// plugin accept the same patterns.
void check_pattern(const xmlNode* e, const std::string& name, const std::string& pattern,
                   bool ecmascript) {
  if (!ecmascript) return;
  try {
    em::rules::pattern::compile(pattern, true);
  } catch (const em::invalid_input& err) {
    throw plugin_error(where(e) + " " + name + ": " + err.what());
  }
}

void check_value(const xmlNode* e, const attr_def& d, const std::string& value, bool ecmascript) {
  const std::string at = where(e) + " " + d.name + " '" + emplugin::one_line(value, 80) + "'";
  if (emplugin::has_control_char(value)) throw plugin_error(at + " holds a control character");
  switch (d.k) {
    case kind::text:
      if (d.required && emplugin::trim(value).empty())
        throw plugin_error(where(e) + " " + d.name + " must not be empty");
      break;
    case kind::pattern:
      if (d.required && emplugin::trim(value).empty())
        throw plugin_error(where(e) + " " + d.name + " must not be empty");
      check_pattern(e, d.name, value, ecmascript);
      break;
    case kind::flag:
    case kind::choice: {
      const auto& options = d.k == kind::flag ? bools : d.choices;
      bool known = std::any_of(options.begin(), options.end(),
                               [&](const char* c) { return emplugin::iequals(value, c); });
      if (!known) {
        std::string list;
        for (const char* c : options)
          list += (list.empty() ? "" : ", ") + std::string(c);
        throw plugin_error(at + " is not one of " + list);
      }
      break;
    }
    case kind::number: {
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || n < d.min ||
          n > d.max)
        throw plugin_error(at + " is not a number from " + std::to_string(d.min) + " to " +
                           std::to_string(d.max));
      break;
    }
  }
}

void check_attributes(const xmlNode* e, std::initializer_list<attr_def> defs, bool ecmascript) {
  for (const xmlAttr* a = e->properties; a; a = a->next) {
    const std::string name = attr_name(a);
    auto d =
        std::find_if(defs.begin(), defs.end(), [&](const attr_def& x) { return name == x.name; });
    if (a->ns || d == defs.end())
      throw plugin_error(where(e) + " has unknown attribute '" + name + "'");
    check_value(e, *d, emplugin::attribute(e, name).value_or(""), ecmascript);
  }
  for (const auto& d : defs)
    if (d.required && !emplugin::attribute(e, d.name))
      throw plugin_error(where(e) + " needs attribute " + d.name);
}

// Children must be among `allowed`; `once` lists those that may appear only once.
void check_children(const xmlNode* e, std::initializer_list<const char*> allowed,
                    std::initializer_list<const char*> once) {
  if (emplugin::has_text(e)) throw plugin_error(where(e) + " must not contain text");
  std::vector<std::string> seen;
  for (const xmlNode* c : emplugin::child_elements(e)) {
    const std::string name = emplugin::name_of(c);
    if (c->ns ||
        std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; }))
      throw plugin_error(where(e) + " has unexpected element <" + name + ">");
    bool single = std::any_of(once.begin(), once.end(), [&](const char* o) { return name == o; });
    if (single && std::find(seen.begin(), seen.end(), name) != seen.end())
      throw plugin_error(where(e) + " has more than one <" + name + ">");
    seen.push_back(name);
  }
}

void check_leaf(const xmlNode* e) {
  check_children(e, {}, {});
}

void check_conditions(const xmlNode* conditions, bool ecmascript) {
  check_attributes(conditions,
                   {{"logicalGrouping", kind::choice, false, {"MatchAll", "MatchAny"}},
                    {"trackAllCaptures", kind::flag}},
                   ecmascript);
  check_children(conditions, {"add", "clear"}, {});
  for (const xmlNode* add : emplugin::child_elements(conditions)) {
    check_leaf(add);
    if (emplugin::name_of(add) == "clear") {
      check_attributes(add, {}, ecmascript);
      continue;
    }
    auto match_type = emplugin::attribute(add, "matchType").value_or("Pattern");
    check_attributes(add,
                     {{"input", kind::text, true},
                      {"matchType", kind::choice, false, {"Pattern", "IsFile", "IsDirectory"}},
                      {"pattern", kind::pattern},
                      {"ignoreCase", kind::flag},
                      {"negate", kind::flag}},
                     ecmascript && emplugin::iequals(match_type, "Pattern"));
  }
}

void check_server_variables(const xmlNode* vars, bool ecmascript) {
  check_attributes(vars, {}, ecmascript);
  check_children(vars, {"set", "clear"}, {});
  for (const xmlNode* set : emplugin::child_elements(vars)) {
    check_leaf(set);
    if (emplugin::name_of(set) == "clear")
      check_attributes(set, {}, ecmascript);
    else
      check_attributes(
          set, {{"name", kind::text, true}, {"value", kind::text, true}, {"replace", kind::flag}},
          ecmascript);
  }
}

void check_action(const xmlNode* action, bool ecmascript) {
  check_leaf(action);
  check_attributes(
      action,
      {{"type",
        kind::choice,
        false,
        {"None", "Rewrite", "Redirect", "CustomResponse", "AbortRequest"}},
       {"url", kind::text},
       {"appendQueryString", kind::flag},
       {"logRewrittenUrl", kind::flag},
       {"redirectType", kind::choice, false, {"Permanent", "Found", "SeeOther", "Temporary"}},
       {"statusCode", kind::number, false, {}, 100, 999},
       {"subStatusCode", kind::number, false, {}, 0, 999},
       {"statusReason", kind::text},
       {"statusDescription", kind::text}},
      ecmascript);
  const std::string type = emplugin::attribute(action, "type").value_or("None");
  if ((emplugin::iequals(type, "Rewrite") || emplugin::iequals(type, "Redirect")) &&
      emplugin::trim(emplugin::attribute(action, "url").value_or("")).empty())
    throw plugin_error("<action type=\"" + type + "\"> needs a url");
  if (emplugin::iequals(type, "CustomResponse") && !emplugin::attribute(action, "statusCode"))
    throw plugin_error("<action type=\"CustomResponse\"> needs a statusCode");
}

std::vector<std::pair<std::string, std::string>> sorted_attributes(const xmlNode* e) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const xmlAttr* a = e->properties; a; a = a->next)
    out.emplace_back(attr_name(a), emplugin::attribute(e, attr_name(a)).value_or(""));
  std::sort(out.begin(), out.end());
  return out;
}

bool same_tree(const xmlNode* a, const xmlNode* b) {
  if (emplugin::name_of(a) != emplugin::name_of(b)) return false;
  if (sorted_attributes(a) != sorted_attributes(b)) return false;
  auto ca = emplugin::child_elements(a), cb = emplugin::child_elements(b);
  if (ca.size() != cb.size()) return false;
  for (std::size_t i = 0; i < ca.size(); ++i)
    if (!same_tree(ca[i], cb[i])) return false;
  return true;
}

}  // namespace

url_rewrite_rule::url_rewrite_rule(emplugin::xml_source source, const xmlNode* element,
                                   std::string name)
    : source_(std::move(source)), element_(element), name_(std::move(name)) {}

url_rewrite_rule url_rewrite_rule::parse(const std::string& value_xml) {
  auto source =
      emplugin::xml_source::parse("<Value>" + value_xml + "</Value>", "the UrlRewrite Value",
                                  emplugin::xml_source::mode::value);
  auto elements = emplugin::child_elements(source.root());
  if (emplugin::has_text(source.root()) || elements.size() != 1 ||
      emplugin::name_of(elements[0]) != "rule" || elements[0]->ns)
    throw plugin_error("a UrlRewrite Value must be exactly one IIS URL Rewrite <rule> element");
  const xmlNode* rule = elements[0];
  const std::string syntax = emplugin::attribute(rule, "patternSyntax").value_or("ECMAScript");
  const bool ecmascript = emplugin::iequals(syntax, "ECMAScript");
  check_attributes(
      rule,
      {{"name", kind::text, true},
       {"enabled", kind::flag},
       {"patternSyntax", kind::choice, false, {"ECMAScript", "Wildcard", "ExactMatch"}},
       {"stopProcessing", kind::flag}},
      ecmascript);
  check_children(rule, {"match", "conditions", "serverVariables", "action"},
                 {"match", "conditions", "serverVariables", "action"});
  const xmlNode* match = emplugin::first_child(rule, "match");
  if (!match) throw plugin_error("<rule> needs a <match url=\"…\"> element");
  check_leaf(match);
  check_attributes(
      match, {{"url", kind::pattern, true}, {"ignoreCase", kind::flag}, {"negate", kind::flag}},
      ecmascript);
  if (const xmlNode* c = emplugin::first_child(rule, "conditions")) check_conditions(c, ecmascript);
  if (const xmlNode* v = emplugin::first_child(rule, "serverVariables"))
    check_server_variables(v, ecmascript);
  if (const xmlNode* a = emplugin::first_child(rule, "action")) check_action(a, ecmascript);
  std::string name = emplugin::attribute(rule, "name").value_or("");
  if (name.size() > 256) throw plugin_error("<rule> name is longer than 256 characters");
  // Then what the evaluator refuses (patternSyntax, inputs, matchType, action
  // Rewrite…): this plugin and the nginx plugin accept and refuse the same rules.
  try {
    em::rules::parse_url_rewrite_rule(value_xml);
  } catch (const em::invalid_input& err) {
    throw plugin_error(err.what());
  }
  return url_rewrite_rule(std::move(source), rule, std::move(name));
}

emplugin::element_text url_rewrite_rule::text(const std::string& unit) const {
  return emplugin::element_lines(element_, unit);
}

bool url_rewrite_rule::same_as(const xmlNode* other) const {
  return other && same_tree(element_, other);
}

}  // namespace emrewrite
