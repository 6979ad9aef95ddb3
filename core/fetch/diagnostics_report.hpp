#pragma once

#include <string>
#include <vector>

#include "core/fetch/http_client.hpp"
#include "core/util/time_util.hpp"

namespace em {

// SPEC 4 step 6: what a server tells the publisher after a check cycle when
// its DataCollectionEnabled is true. Deliberately small, and nothing from the
// host beyond these fields (no paths, no addresses, no settings).
struct diagnostics_report {
  sys_time at{};
  std::string server_name;  // the server's ID in the organisation (it is keyed by name)
  std::string organization_id;
  std::string product;
  std::string build;
  std::string service_state;         // "Running", or "RunOnce" for emsd --once
  std::string last_result;           // the cycle's result: "Completed", or why it stopped
  std::vector<std::string> applied;  // MitigationsApplied after the cycle
  std::vector<std::string> blocked;  // MitigationsBlocked

  // One line of JSON: {"Time":"…","ServerName":"EX01","OrganizationId":"…",
  // "Product":"…","Build":"…","ServiceState":"Running","LastResult":"Completed",
  // "MitigationsApplied":["PING1.1"],"MitigationsBlocked":[]}
  std::string to_json() const;
};

// POSTs `json` to `url` (application/json). Throws fetch_error, with
// http_status when the answer is not 2xx.
void send_diagnostics(const std::string& url, const std::string& json, const http_options& options,
                      const http_transport& transport = http_exchange);

}  // namespace em
