#pragma once

// The layout check of the plugin boundary (part of the EM Service plugin SDK:
// see <emservice/plugin.hpp>). C++ types such as std::string cross the
// boundary, so a plugin built with another standard library or other ABI
// settings (_GLIBCXX_USE_CXX11_ABI=0, a 32-bit build, another compiler) would
// corrupt memory the moment emsd handed it an action. Each plugin therefore
// carries the size and alignment of every such type as its own compiler saw
// them; the loader compares them with its own and refuses a plugin that
// differs, naming the type.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <emservice/action.hpp>
#include <emservice/host_api.hpp>
#include <emservice/settings.hpp>

namespace emservice {

struct type_layout {
  std::uint32_t size;
  std::uint32_t align;
};

// Every type that crosses the boundary, in this fixed order. A type may be
// appended in a minor version; nothing is ever removed or reordered.
inline constexpr const char* abi_layout_names[] = {
    "std::string",
    "std::vector<std::string>",
    "std::optional<std::string>",
    "std::chrono::milliseconds",
    "emservice::action",
    "emservice::outcome",
    "emservice::check_result",
    "emservice::setting_spec",
    "emservice::setting_value",
    "emservice::settings_table",
    "emservice::iis_table",
    "emservice::host_context",
    "emservice::host_api::command_result",
};

inline constexpr std::uint32_t abi_layout_entries =
    sizeof(abi_layout_names) / sizeof(abi_layout_names[0]);

struct abi_layout {
  std::uint32_t count;  // abi_layout_entries of the SDK the plugin was built with
  type_layout types[abi_layout_entries];
};

template <class T>
constexpr type_layout layout_of() {
  return {static_cast<std::uint32_t>(sizeof(T)), static_cast<std::uint32_t>(alignof(T))};
}

// This build's layout, as the plugin (or emsd) including this header sees it.
inline constexpr abi_layout this_build_layout = {abi_layout_entries,
                                                 {
                                                     layout_of<std::string>(),
                                                     layout_of<std::vector<std::string>>(),
                                                     layout_of<std::optional<std::string>>(),
                                                     layout_of<std::chrono::milliseconds>(),
                                                     layout_of<action>(),
                                                     layout_of<outcome>(),
                                                     layout_of<check_result>(),
                                                     layout_of<setting_spec>(),
                                                     layout_of<setting_value>(),
                                                     layout_of<settings_table>(),
                                                     layout_of<iis_table>(),
                                                     layout_of<host_context>(),
                                                     layout_of<host_api::command_result>(),
                                                 }};

}  // namespace emservice
