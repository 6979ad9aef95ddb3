#pragma once

#include <toml++/toml.h>

#include "core/config/service_config.hpp"
#include "core/config/toml_reader.hpp"

namespace em {

// [notify]: command (an array whose first item is an absolute program path),
// webhook (an https:// URL), ca_file (a path), timeout (a duration above 0s).
void read_notify_section(const toml_reader& reader, const toml::node& node, notify_section& out);

}  // namespace em
