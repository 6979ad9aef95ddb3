#include <string>

#include "core/config/config_sections.hpp"

namespace em {
namespace {

// One scalar of a plugin table as text; false when it is not a scalar a
// plugin can take (a float, a date, an array, a table).
bool scalar_text(const toml::node& n, std::string& out) {
  if (const auto* s = n.as_string()) {
    out = s->get();
    return true;
  }
  if (const auto* i = n.as_integer()) {
    out = std::to_string(i->get());
    return true;
  }
  if (const auto* b = n.as_boolean()) {
    out = b->get() ? "true" : "false";
    return true;
  }
  return false;
}

// A [plugins.<name>] table in the SDK's shape (key → list of strings). Which
// keys exist is the plugin's business (the loader refuses keys it did not declare);
// here only the shape is checked. A table one level down (nginx's
// `sites = { "Default Web Site" = "/etc/nginx/…" }`) becomes the keys
// "sites.<name>", which a plugin declares as "sites.*".
plugin_settings read_plugin_table(const toml_reader& r, const toml::table& t,
                                  const std::string& prefix, bool nested = false) {
  plugin_settings out;
  for (auto&& [k, v] : t) {
    const std::string key = prefix + "." + std::string(k.str());
    if (const auto* inner = v.as_table(); inner && !nested) {
      for (auto& [name, values] : read_plugin_table(r, *inner, key, true))
        out[std::string(k.str()) + "." + name] = std::move(values);
      continue;
    }
    auto& values = out[std::string(k.str())];
    std::string text;
    if (scalar_text(v, text)) {
      values.push_back(text);
    } else if (const auto* arr = v.as_array()) {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto& e = (*arr)[i];
        if (!scalar_text(e, text))
          r.fail(e, key + "[" + std::to_string(i) + "]",
                 std::string("expected a string, integer or boolean, got ") +
                     toml_reader::type_name(e));
        values.push_back(text);
      }
    } else if (v.is_table()) {
      r.fail(k.source(), key, "a nested table is not allowed in a plugin's settings");
    } else {
      r.fail(v, key,
             std::string("expected a string, integer, boolean or an array of those, got ") +
                 toml_reader::type_name(v));
    }
  }
  return out;
}

// Plugin names as their descriptors give them; each once.
void read_enable(const toml_reader& r, const toml::node& v, plugins_section& out) {
  auto names = r.as_string_array(v, "plugins.enable");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) r.fail(v, "plugins.enable", "a plugin name must not be empty");
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) r.fail(v, "plugins.enable", "'" + names[i] + "' is listed twice");
  }
  out.enable = std::move(names);
}

}  // namespace

void read_plugins_section(const toml_reader& r, const toml::node& node, plugins_section& out) {
  const auto& t = r.as_table(node, "plugins");
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    const std::string key = "plugins." + name;
    if (name == "dir") {
      out.dir = r.as_path(v, key);
    } else if (name == "enable") {
      read_enable(r, v, out);
    } else if (name == "call_timeout") {
      out.call_timeout = r.as_duration(v, key);
      if (out.call_timeout.count() <= 0) r.fail(v, key, "must be more than 0s");
    } else if (const auto* table = v.as_table()) {
      out.tables[name] = read_plugin_table(r, *table, key);
    } else {
      r.fail(k.source(), key,
             "unknown key (a plugin's settings go in a [plugins." + name + "] table)");
    }
  }
}

void read_iis_section(const toml_reader& r, const toml::node& node, iis_section& out) {
  const auto& t = r.as_table(node, "iis");
  r.refuse_unknown_keys(t, "iis", {"application_host", "variables", "backups"});
  if (const auto* n = t.get("application_host"))
    out.application_host = r.as_path(*n, "iis.application_host");
  if (const auto* n = t.get("backups")) {
    const auto v = r.as_integer(*n, "iis.backups");
    // At least one: every edit keeps a copy of what it replaced (SPEC 10).
    if (v < 1 || v > 1000) r.fail(*n, "iis.backups", "expected a number from 1 to 1000");
    out.backups = static_cast<int>(v);
  }
  if (const auto* n = t.get("variables")) {
    const auto& vars = r.as_table(*n, "iis.variables");
    for (auto&& [k, v] : vars) {
      const std::string name(k.str());
      const std::string key = "iis.variables." + name;
      // The name is looked up between '%' signs in physicalPath.
      if (name.empty() || name.find_first_of("%= \t") != std::string::npos)
        r.fail(k.source(), key, "bad variable name (no '%', '=' or spaces)");
      // Values are folders that stand in for Windows paths; relative ones are
      // relative to this file, like every path of the configuration.
      out.variables[name] = r.as_path(v, key).string();
    }
  }
}

}  // namespace em
