#pragma once

#include <filesystem>
#include <string_view>

#include "core/config/service_config.hpp"

namespace em {

inline constexpr const char* default_config_path = "/etc/emservice/emsd.conf";

// Reads and validates the TOML configuration file. Throws em::invalid_input with
// a one-line message "<file>:<line>:<column>: <key>: <what is wrong>" for an
// unknown key, a wrong type or a bad value, and "<file>: <why>" when the file
// cannot be read or is not TOML.
service_config load_config(const std::filesystem::path& file);

// Same, from text; `file` names the source in messages and anchors relative paths.
service_config parse_config(std::string_view toml_text, const std::filesystem::path& file);

}  // namespace em
