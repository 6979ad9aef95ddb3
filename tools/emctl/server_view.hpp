#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace emctl {

// Get-ExchangeServer's properties that EM Service keeps, in Format-List order.
const std::vector<std::string>& server_property_names();

// The properties asked for with --property, in the order given, each matched
// without regard to case (as PowerShell does) and returned in its proper
// spelling; all of them but the liveness ones when `requested` is empty. Throws em::invalid_input
// for a property that does not exist.
std::vector<std::string> resolve_server_properties(const std::vector<std::string>& requested);

// `names` (the default list) and, for a store that keeps liveness (etcd),
// LastSeen and ServiceState (Running, or Offline once its lease expired).
std::vector<std::string> with_liveness(const std::vector<std::string>& names,
                                       const em::server_record& server);

// One "<Property> : <value>" line per property, as Format-List prints it.
std::string format_server(const em::server_record& server,
                          const std::vector<std::string>& properties);

// The same properties as a JSON object, keys in the order given.
nlohmann::ordered_json server_json(const em::server_record& server,
                                   const std::vector<std::string>& properties);

}  // namespace emctl
