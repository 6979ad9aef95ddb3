#pragma once

#include <string>

#include "core/fetch/http_client.hpp"

namespace em {

// POSTs `json` to `url` (application/json) within options.limits: the
// diagnostics report, a notification webhook. Throws fetch_error, with
// http_status when the answer is not 2xx.
void post_json(const std::string& url, const std::string& json, const http_options& options,
               const http_transport& transport = http_exchange);

}  // namespace em
