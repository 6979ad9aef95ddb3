#pragma once

#include <string>
#include <vector>

#include "core/config/service_config.hpp"
#include "core/fetch/http_client.hpp"
#include "core/notify/notification.hpp"

namespace em {

// Tells [notify] what happened: runs `command` with the notification's JSON
// on its stdin (no shell, its own process group, killed after `timeout`)
// and/or POSTs the same JSON to `webhook` through the service's HTTP client,
// within its limits and `timeout`. Thread-safe; never throws.
class notifier {
 public:
  explicit notifier(notify_section settings, http_transport transport = http_exchange);

  bool enabled() const { return !settings_.command.empty() || !settings_.webhook.empty(); }

  // One line per notifier that failed, e.g. "notify.command /usr/local/bin/x
  // exited with code 3: <its first line of stderr>"; empty when all went
  // well. `proxy` is the server's InternetWebProxy (empty: direct).
  std::vector<std::string> send(const notification& n, const std::string& proxy) const;

  // What send() reached, for the log: "/usr/local/bin/x and https://…".
  std::string targets() const;

 private:
  std::string run_command(const std::string& json) const;
  std::string post(const std::string& json, const std::string& proxy) const;

  notify_section settings_;
  http_transport transport_;
};

}  // namespace em
