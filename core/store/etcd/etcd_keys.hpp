#pragma once

#include <string>

namespace em::etcd {

// Where an organisation's state lives under its prefix P (docs/fleet.md):
//
//   P org                     organisation settings      administrators write
//   P settings/<server>       a server's settings        administrators write
//   P state/<server>          product, build, applied …  the server writes
//   P status/<server>         per-action statuses        the server writes
//   P document/<server>       last accepted document     the server writes
//   P live/<server>           on the server's lease      the server writes
//   P seen/<server>           its last heartbeat         the server writes
//   P plugin/<server>/…       plugins' values            the server writes
//   P floor                   highest sequence accepted  every server writes
//   P audit/<time>-<random>   administrators' changes    administrators write
//
// Kind first, then server: an organisation-wide listing (every status, every
// server's settings) is one range read, and each server's own keys are a
// handful of exact keys that an etcd role can grant.
class key_layout {
 public:
  explicit key_layout(std::string prefix) : prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }
  std::string org() const { return prefix_ + "org"; }
  std::string floor() const { return prefix_ + "floor"; }
  // All keys of one kind: kind("settings") is "P settings/".
  std::string kind(const char* name) const { return prefix_ + name + "/"; }
  std::string settings(const std::string& server) const { return of("settings", server); }
  std::string state(const std::string& server) const { return of("state", server); }
  std::string status(const std::string& server) const { return of("status", server); }
  std::string document(const std::string& server) const { return of("document", server); }
  std::string live(const std::string& server) const { return of("live", server); }
  std::string seen(const std::string& server) const { return of("seen", server); }
  std::string plugins(const std::string& server) const { return of("plugin", server) + "/"; }
  std::string plugin(const std::string& server, const std::string& plugin,
                     const std::string& key) const {
    return plugins(server) + segment(plugin) + "/" + segment(key);
  }
  std::string audit(const std::string& unique) const { return kind("audit") + unique; }

  // A server's name as it appears in keys: lower case (names are
  // case-insensitive, as in Exchange), anything but [a-z0-9._-] as %XX.
  static std::string server_id(const std::string& name);
  // Any text as one key segment: '/' and '%' (and control bytes) as %XX.
  static std::string segment(const std::string& text);
  static std::string unsegment(const std::string& segment);  // the text back

 private:
  std::string of(const char* kind, const std::string& server) const {
    return prefix_ + kind + "/" + server_id(server);
  }
  std::string prefix_;
};

}  // namespace em::etcd
