#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "core/config/service_config.hpp"
#include "core/config/toml_reader.hpp"

namespace em {

// One reader per section of SPEC 9, internal to the config loader. Each takes
// the section's node as found in the file, refuses unknown keys, wrong types
// and bad values through `reader`, and fills in only the keys present (the
// rest keep service_config's defaults).
void read_server_section(const toml_reader& reader, const toml::node& node, server_section& out);
void read_feed_section(const toml_reader& reader, const toml::node& node, feed_section& out);
void read_schedule_section(const toml_reader& reader, const toml::node& node,
                           schedule_section& out);
void read_trust_section(const toml_reader& reader, const toml::node& node, trust_section& out);
void read_log_section(const toml_reader& reader, const toml::node& node, log_section& out);
void read_plugins_section(const toml_reader& reader, const toml::node& node, plugins_section& out);
void read_iis_section(const toml_reader& reader, const toml::node& node, iis_section& out);

// 1-64 characters of letters, digits, '-', '_' and '.'.
bool is_valid_server_name(std::string_view name);

}  // namespace em
