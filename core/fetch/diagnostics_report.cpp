#include "core/fetch/diagnostics_report.hpp"

#include <nlohmann/json.hpp>

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
  http_request request;
  request.method = "POST";
  request.url = url;
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = json;
  auto res = transport(request, options);
  if (res.status < 200 || res.status > 299)
    throw fetch_error(fetch_failure::http_status, status_text(res));
}

}  // namespace em
