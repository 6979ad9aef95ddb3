#include "core/config/control_section.hpp"

#include <grp.h>

#include <vector>

namespace em {
namespace {

// sun_path holds 108 bytes with its terminating NUL.
constexpr std::size_t max_socket_path = 107;

bool group_exists(const std::string& name) {
  std::vector<char> buf(16384);
  group entry{};
  group* found = nullptr;
  return ::getgrnam_r(name.c_str(), &entry, buf.data(), buf.size(), &found) == 0 && found;
}

}  // namespace

void read_control_section(const toml_reader& r, const toml::node& node, control_section& out) {
  const auto& t = r.as_table(node, "control");
  r.refuse_unknown_keys(t, "control", {"socket", "admin_group"});
  if (const auto* n = t.get("socket")) {
    out.socket = r.as_path(*n, "control.socket");
    if (out.socket.string().size() > max_socket_path)
      r.fail(*n, "control.socket",
             "path longer than " + std::to_string(max_socket_path) +
                 " characters (the limit of a UNIX socket)");
  }
  if (const auto* n = t.get("admin_group")) {
    out.admin_group = r.as_string(*n, "control.admin_group");
    if (out.admin_group.empty()) r.fail(*n, "control.admin_group", "empty group name");
    // A typo here would lock every administrator out of check-now.
    if (!group_exists(out.admin_group))
      r.fail(*n, "control.admin_group", "no group '" + out.admin_group + "' on this host");
  }
}

}  // namespace em
