#pragma once

#include <optional>
#include <string>

#include <emservice/plugin.hpp>

namespace em {

// Why a plugin's descriptor cannot be used, or nothing. Reads the fixed header
// (abi_major, abi_minor, descriptor_size) first and nothing else until the
// version is one this host supports; then the layout table, type by type,
// against this build's (a plugin built with another standard library or ABI
// settings is refused naming the first type that differs); then the name,
// the action types and the functions.
std::optional<std::string> refuse_descriptor(const emservice::plugin_descriptor* d);

}  // namespace em
