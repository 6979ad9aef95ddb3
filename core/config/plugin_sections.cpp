#include <sstream>
#include <string>

#include "core/config/config_sections.hpp"

namespace em {
namespace {

bool is_scalar(const toml::node& n) {
  return n.is_string() || n.is_integer() || n.is_boolean();
}

// The value as TOML text that reads back as the same value. A table, whether
// the file wrote it inline or as a [plugins.<name>.<key>] section, becomes
// one inline table.
std::string toml_text(const toml::node& n) {
  std::ostringstream out;
  if (const auto* t = n.as_table()) {
    out << "{ ";
    bool first = true;
    for (auto&& [k, v] : *t) {
      out << (first ? "" : ", ") << toml::toml_formatter{toml::value<std::string>(std::string(k.str()))}
          << " = " << toml_text(v);
      first = false;
    }
    out << (first ? "}" : " }");
    return out.str();
  }
  n.visit([&](const auto& v) { out << toml::toml_formatter{v}; });
  return out.str();
}

// Scalars a setting can be (string, integer, boolean), arrays of them, and
// at the top of a plugin's table a table of them (nginx's
// `sites = { "Default Web Site" = "/etc/nginx/…" }`), nothing deeper.
void check_shape(const toml_reader& r, const toml::node& v, const std::string& key,
                 const toml::source_region& key_at, bool table_allowed) {
  if (const auto* arr = v.as_array()) {
    for (std::size_t i = 0; i < arr->size(); ++i)
      if (!is_scalar((*arr)[i]))
        r.fail((*arr)[i], key + "[" + std::to_string(i) + "]",
               std::string("expected a string, integer or boolean, got ") +
                   toml_reader::type_name((*arr)[i]));
  } else if (const auto* table = v.as_table()) {
    if (!table_allowed)
      r.fail(key_at, key, "a nested table is not allowed in a plugin's settings");
    for (auto&& [k, inner] : *table)
      check_shape(r, inner, key + "." + std::string(k.str()), k.source(), false);
  } else if (!is_scalar(v)) {
    r.fail(v, key,
           std::string("expected a string, integer, boolean or an array of those, got ") +
               toml_reader::type_name(v));
  }
}

// A [plugins.<name>] table as the file wrote it. Which keys exist and their
// types are the plugin's business (the plugin loader checks them against its
// declared settings); here only the shape is checked.
plugin_settings read_plugin_table(const toml_reader& r, const toml::table& t,
                                  const std::string& prefix) {
  plugin_settings out;
  for (auto&& [k, v] : t) {
    check_shape(r, v, prefix + "." + std::string(k.str()), k.source(), true);
    out[std::string(k.str())] = {toml_text(v), v.source().begin.line, v.source().begin.column};
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
