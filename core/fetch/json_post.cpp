#include "core/fetch/json_post.hpp"

namespace em {

void post_json(const std::string& url, const std::string& json, const http_options& options,
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
