#include "core/plugin/descriptor_check.hpp"

#include <set>

namespace em {
namespace {

std::string version_text(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string layout_text(const emservice::type_layout& t) {
  return std::to_string(t.size) + " bytes (alignment " + std::to_string(t.align) + ")";
}

std::optional<std::string> refuse_layout(const emservice::abi_layout* theirs) {
  const auto& ours = emservice::this_build_layout;
  if (!theirs) return std::string("the descriptor has no layout table");
  // A plugin of this major version and an older minor one has as many
  // entries or fewer (types are only ever appended).
  if (theirs->count == 0 || theirs->count > ours.count)
    return "its layout table has " + std::to_string(theirs->count) + " entries (this emsd knows " +
           std::to_string(ours.count) + ")";
  for (std::uint32_t i = 0; i < theirs->count; ++i) {
    const auto& a = theirs->types[i];
    const auto& b = ours.types[i];
    if (a.size != b.size || a.align != b.align)
      return std::string("built with another C++ ABI: ") + emservice::abi_layout_names[i] + " is " +
             layout_text(a) + " in the plugin but " + layout_text(b) +
             " in this emsd (build it with the same compiler and standard library)";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> refuse_descriptor(const emservice::plugin_descriptor* d) {
  if (!d) return std::string("the entry point returned no descriptor");
  if (d->abi_major != EMSERVICE_PLUGIN_ABI_MAJOR || d->abi_minor > EMSERVICE_PLUGIN_ABI_MINOR)
    return "ABI version " + version_text(d->abi_major, d->abi_minor) +
           " is not supported (this emsd supports " +
           version_text(EMSERVICE_PLUGIN_ABI_MAJOR, EMSERVICE_PLUGIN_ABI_MINOR) + ")";
  if (d->descriptor_size < sizeof(emservice::plugin_descriptor))
    return "descriptor size " + std::to_string(d->descriptor_size) + " is smaller than " +
           std::to_string(sizeof(emservice::plugin_descriptor)) + ", the size this emsd expects";
  if (auto why = refuse_layout(d->layout)) return why;
  if (!d->name || !*d->name) return std::string("the descriptor has no plugin name");
  if (!d->action_types || !d->action_types[0])
    return std::string("plugin '") + d->name + "' declares no action types";
  std::set<std::string> seen;
  for (auto t = d->action_types; *t; ++t) {
    if (!**t) return std::string("plugin '") + d->name + "' declares an empty action type";
    if (!seen.insert(*t).second)
      return std::string("plugin '") + d->name + "' declares action type '" + *t + "' twice";
  }
  if (!d->create) return std::string("plugin '") + d->name + "' has no create function";
  if (!d->destroy) return std::string("plugin '") + d->name + "' has no destroy function";
  return std::nullopt;
}

}  // namespace em
