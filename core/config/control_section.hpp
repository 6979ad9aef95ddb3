#pragma once

#include <toml++/toml.h>

#include "core/config/service_config.hpp"
#include "core/config/toml_reader.hpp"

namespace em {

// [control]: socket (a path) and admin_group (a group that exists on this host).
void read_control_section(const toml_reader& reader, const toml::node& node, control_section& out);

}  // namespace em
