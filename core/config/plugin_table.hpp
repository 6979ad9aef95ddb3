#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <emservice/settings.hpp>

#include "core/config/service_config.hpp"

namespace em {

// One setting a plugin declares, as the loader accepted it and `emctl plugins`
// shows it.
struct setting_info {
  std::string key;
  emservice::setting_type type = emservice::setting_type::string;
  std::optional<std::string> default_value;  // TOML text, as declared
  std::string description;
};

bool operator==(const setting_info& a, const setting_info& b);

// "string", "boolean", "integer", "duration", "list".
const char* to_string(emservice::setting_type type);
std::optional<emservice::setting_type> parse_setting_type(std::string_view text);

// A descriptor's declarations (ended by an entry with a null key; `specs` may
// be null for none). Throws em::error naming the plugin and the key for one
// the host cannot honour: an empty or repeated key, an unknown type, a
// default that is not of its type.
std::vector<setting_info> read_setting_specs(const emservice::setting_spec* specs,
                                             const std::string& plugin);

// Checks the operator's [plugins.<plugin>] table against the declarations and
// converts it, filling in the defaults of keys left out: what create()
// receives. Throws em::invalid_input "<file>:<line>:<column>:
// plugins.<plugin>.<key>: <what>" for a key not declared or a value not of its
// type, the same shape as every other configuration error (SPEC 9).
emservice::settings_table convert_plugin_table(const std::vector<setting_info>& declared,
                                               const plugin_settings& table,
                                               const std::string& plugin, const std::string& file);

}  // namespace em
