#include "core/config/plugin_table.hpp"

#include <set>

#include <toml++/toml.h>

#include "core/config/toml_reader.hpp"
#include "core/util/duration.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

using emservice::setting_type;

constexpr std::pair<setting_type, const char*> type_names[] = {
    {setting_type::string, "string"},   {setting_type::boolean, "boolean"},
    {setting_type::integer, "integer"}, {setting_type::duration, "duration"},
    {setting_type::list, "list"},       {setting_type::table, "table"},
};

// "v = <text>" parsed; nullopt when `text` is not one TOML value.
std::optional<toml::table> parse_value(const std::string& text) {
  try {
    return toml::parse("v = " + text + "\n");
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

std::string got(const toml::node& n) {
  return std::string(", got ") + toml_reader::type_name(n);
}

// Converts one TOML value to `type`; returns why it cannot be, in the words
// of the configuration's other errors.
std::optional<std::string> convert(const toml::node& n, setting_type type,
                                   emservice::setting_value& out) {
  out.type = type;
  switch (type) {
    case setting_type::string:
      if (const auto* s = n.as_string()) {
        out.text = s->get();
        return std::nullopt;
      }
      return "expected a string" + got(n);
    case setting_type::boolean:
      if (const auto* b = n.as_boolean()) {
        out.boolean = b->get();
        return std::nullopt;
      }
      return "expected a boolean (true or false)" + got(n);
    case setting_type::integer:
      if (const auto* i = n.as_integer()) {
        out.integer = i->get();
        return std::nullopt;
      }
      return "expected an integer" + got(n);
    case setting_type::duration:
      if (const auto* s = n.as_string()) return read_duration_setting(s->get(), out.duration);
      return "expected a duration string such as \"30s\"" + got(n);
    case setting_type::list:
      if (const auto* arr = n.as_array()) {
        for (std::size_t i = 0; i < arr->size(); ++i) {
          const auto* s = (*arr)[i].as_string();
          if (!s)
            return "expected an array of strings, but item " + std::to_string(i) + " is " +
                   toml_reader::type_name((*arr)[i]);
          out.list.push_back(s->get());
        }
        return std::nullopt;
      }
      return "expected an array of strings" + got(n);
    case setting_type::table:
      if (const auto* t = n.as_table()) {
        for (auto&& [k, v] : *t) {
          const auto* s = v.as_string();
          if (!s)
            return "expected a table of strings, but '" + std::string(k.str()) + "' is " +
                   toml_reader::type_name(v);
          out.table[std::string(k.str())] = s->get();
        }
        return std::nullopt;
      }
      return "expected a table of strings such as { \"name\" = \"value\" }" + got(n);
  }
  return std::string("unknown setting type");
}

std::optional<std::string> convert_text(const std::string& text, setting_type type,
                                        emservice::setting_value& out) {
  auto parsed = parse_value(text);
  if (!parsed || !parsed->get("v")) return "'" + text + "' is not one TOML value";
  return convert(*parsed->get("v"), type, out);
}

std::string listed(const std::vector<setting_info>& declared) {
  std::string out;
  for (const auto& s : declared)
    out += (out.empty() ? "" : ", ") + s.key;
  return out;
}

}  // namespace

bool operator==(const setting_info& a, const setting_info& b) {
  return a.key == b.key && a.type == b.type && a.default_value == b.default_value &&
         a.description == b.description;
}

const char* to_string(setting_type type) {
  for (const auto& [t, name] : type_names)
    if (t == type) return name;
  return "unknown";
}

std::optional<setting_type> parse_setting_type(std::string_view text) {
  for (const auto& [t, name] : type_names)
    if (text == name) return t;
  return std::nullopt;
}

std::vector<setting_info> read_setting_specs(const emservice::setting_spec* specs,
                                             const std::string& plugin) {
  std::vector<setting_info> out;
  std::set<std::string> seen;
  // A bound on what a descriptor may declare, so a list missing its end is
  // refused instead of read into the rest of the library.
  constexpr std::size_t max_settings = 256;
  for (auto s = specs; s && s->key; ++s) {
    const std::string where = "plugin '" + plugin + "' declares setting '" + s->key + "'";
    if (out.size() == max_settings)
      throw error("plugin '" + plugin + "' declares more than " + std::to_string(max_settings) +
                  " settings (is its list missing the {nullptr} entry at its end?)");
    if (!*s->key) throw error("plugin '" + plugin + "' declares a setting with an empty key");
    if (!seen.insert(s->key).second) throw error(where + " twice");
    if (!parse_setting_type(to_string(s->type)))
      throw error(where + " with an unknown type (" +
                  std::to_string(static_cast<std::uint32_t>(s->type)) + ")");
    setting_info info{s->key, s->type, std::nullopt, s->description ? s->description : ""};
    if (s->default_value) {
      emservice::setting_value v;
      if (auto why = convert_text(s->default_value, s->type, v))
        throw error(where + " with a default that is not a " + to_string(s->type) + ": " + *why);
      info.default_value = s->default_value;
    }
    out.push_back(std::move(info));
  }
  return out;
}

emservice::settings_table convert_plugin_table(const std::vector<setting_info>& declared,
                                               const plugin_settings& table,
                                               const std::string& plugin, const std::string& file) {
  emservice::settings_table out;
  for (const auto& [key, value] : table) {
    const std::string at = (file.empty() ? "" : file + ":") + std::to_string(value.line) + ":" +
                           std::to_string(value.column) + ": plugins." + plugin + "." + key + ": ";
    const setting_info* spec = nullptr;
    for (const auto& s : declared)
      if (s.key == key) spec = &s;
    if (!spec)
      throw invalid_input(at + "unknown key (" +
                          (declared.empty() ? "plugin '" + plugin + "' takes no settings"
                                            : "plugin '" + plugin + "' takes " + listed(declared)) +
                          ")");
    emservice::setting_value v;
    if (auto why = convert_text(value.toml, spec->type, v)) throw invalid_input(at + *why);
    out.values[key] = std::move(v);
  }
  for (const auto& s : declared) {
    if (out.has(s.key) || !s.default_value) continue;
    emservice::setting_value v;
    convert_text(*s.default_value, s.type, v);  // checked by read_setting_specs
    v.is_default = true;
    out.values[s.key] = std::move(v);
  }
  return out;
}

}  // namespace em
