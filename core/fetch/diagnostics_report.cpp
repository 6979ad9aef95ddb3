#include "core/fetch/diagnostics_report.hpp"

#include <nlohmann/json.hpp>

#include "core/fetch/json_post.hpp"

namespace em {

std::string diagnostics_report::to_json() const {
  nlohmann::ordered_json j;
  j["Time"] = format_rfc3339(at);
  j["ServerName"] = server_name;
  j["OrganizationId"] = organization_id;
  j["Product"] = product;
  j["Build"] = build;
  j["ServiceState"] = service_state;
  j["LastResult"] = last_result;
  j["MitigationsApplied"] = applied;
  j["MitigationsBlocked"] = blocked;
  // Replacement, not an exception, for invalid UTF-8 in a reason text.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_diagnostics(const std::string& url, const std::string& json, const http_options& options,
                      const http_transport& transport) {
  post_json(url, json, options, transport);
}

}  // namespace em
