#pragma once

#include <toml++/toml.h>

#include "core/config/service_config.hpp"
#include "core/config/toml_reader.hpp"

namespace em {

// [store] and its [store.etcd] table (SPEC 9, 11). backend "etcd" needs
// [store.etcd] with endpoints and prefix; [store.etcd] may also be given with
// backend "sqlite", as the target of `emctl store copy`.
void read_store_section(const toml_reader& reader, const toml::node& node, store_section& out);

}  // namespace em
