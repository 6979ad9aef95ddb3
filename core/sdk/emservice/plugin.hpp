#pragma once

// The EM Service plugin SDK. A plugin is a shared library that exports
//
//   EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry();
//
// returning a descriptor with the ABI version it was built against. The loader
// reads abi_major, abi_minor and descriptor_size before touching anything else
// and refuses a plugin built for another major version or a newer minor one,
// then compares the plugin's type layout with its own (<emservice/abi_layout.hpp>).
//
// Versioning: a change that a plugin built against the previous version still
// works with (a field appended to the descriptor, a type appended to the
// layout table, a new setting type) raises the minor version; any other change
// to a type that crosses the boundary raises the major version and resets the
// minor one. 2.0 brought typed settings (setting_spec, settings_table) and the
// layout table.
//
// These headers use the C++17 standard library only: third parties build
// against them without CAF, Boost or spdlog. Plugins must be built with the
// same C++ standard library ABI as emsd (std::string crosses the boundary,
// which is what the layout check guards).

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include <emservice/abi_layout.hpp>
#include <emservice/action.hpp>
#include <emservice/applier.hpp>
#include <emservice/host_api.hpp>
#include <emservice/settings.hpp>

#define EMSERVICE_PLUGIN_ABI_MAJOR 2
#define EMSERVICE_PLUGIN_ABI_MINOR 0

#define EMSERVICE_PLUGIN_ENTRY_NAME "emservice_plugin_entry"
#define EMSERVICE_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

// The first four fields of every descriptor, as this SDK fills them:
//   const emservice::plugin_descriptor d = {EMSERVICE_PLUGIN_DESCRIPTOR_HEADER, "hosts", …};
#define EMSERVICE_PLUGIN_DESCRIPTOR_HEADER                              \
  EMSERVICE_PLUGIN_ABI_MAJOR, EMSERVICE_PLUGIN_ABI_MINOR,               \
      static_cast<std::uint32_t>(sizeof(emservice::plugin_descriptor)), \
      &emservice::this_build_layout

namespace emservice {

struct plugin_descriptor {
  // The fixed header: at these offsets in every version, so any emsd can read
  // it and refuse what it does not support.
  std::uint32_t abi_major;        // EMSERVICE_PLUGIN_ABI_MAJOR
  std::uint32_t abi_minor;        // EMSERVICE_PLUGIN_ABI_MINOR
  std::uint32_t descriptor_size;  // sizeof(plugin_descriptor)

  const abi_layout* layout;         // &emservice::this_build_layout
  const char* name;                 // short name, e.g. "ping"; selects [plugins.<name>]
  const char* const* action_types;  // null-terminated list, e.g. {"DoNothing", nullptr}
  // Creates the plugin's applier from its checked settings; returns nullptr
  // and sets `error` (or throws) when it cannot start.
  applier* (*create)(const host_context& context, std::string& error);
  void (*destroy)(applier* instance);
  // The keys its [plugins.<name>] table may hold, ended by an entry whose key
  // is null; nullptr when it takes none. The host refuses any other key.
  const setting_spec* settings;
};

// What the loader relies on before it trusts anything else.
static_assert(offsetof(plugin_descriptor, abi_major) == 0 &&
                  offsetof(plugin_descriptor, abi_minor) == 4 &&
                  offsetof(plugin_descriptor, descriptor_size) == 8,
              "the descriptor's fixed header must never move");
static_assert(std::is_standard_layout_v<plugin_descriptor> &&
                  std::is_trivially_copyable_v<plugin_descriptor>,
              "the descriptor is plain data, readable from any build");
static_assert(std::is_standard_layout_v<setting_spec> &&
                  std::is_trivially_copyable_v<setting_spec> && sizeof(setting_type) == 4,
              "setting declarations are plain data");
static_assert(std::is_standard_layout_v<abi_layout> && sizeof(type_layout) == 8,
              "the layout table is plain data");
static_assert(sizeof(check_state) == sizeof(int) && sizeof(log_level) == sizeof(int),
              "the SDK's enumerations keep their size");

}  // namespace emservice
