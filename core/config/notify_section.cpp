#include "core/config/notify_section.hpp"

#include "core/fetch/parsed_url.hpp"

namespace em {

void read_notify_section(const toml_reader& r, const toml::node& node, notify_section& out) {
  const auto& t = r.as_table(node, "notify");
  r.refuse_unknown_keys(t, "notify", {"command", "webhook", "ca_file", "timeout"});
  if (const auto* n = t.get("command")) {
    out.command = r.as_string_array(*n, "notify.command");
    // No shell runs it, and emsd runs as root: a PATH lookup is not wanted.
    if (out.command.empty() || out.command.front().empty() || out.command.front()[0] != '/')
      r.fail(*n, "notify.command",
             "expected a list starting with an absolute program path, e.g. "
             "[\"/usr/local/bin/em-notify\", \"--to\", \"ops\"] (no shell runs it)");
  }
  if (const auto* n = t.get("webhook")) {
    out.webhook = r.as_string(*n, "notify.webhook");
    std::string why;
    auto url = parsed_url::parse(out.webhook, &why);
    if (!url) r.fail(*n, "notify.webhook", "bad URL '" + out.webhook + "': " + why);
    if (!url->tls()) r.fail(*n, "notify.webhook", "http is not allowed for the webhook; use https");
  }
  if (const auto* n = t.get("ca_file")) out.ca_file = r.as_path(*n, "notify.ca_file");
  if (const auto* n = t.get("timeout")) {
    out.timeout = r.as_duration(*n, "notify.timeout");
    if (out.timeout.count() <= 0) r.fail(*n, "notify.timeout", "must be more than 0s");
  }
}

}  // namespace em
