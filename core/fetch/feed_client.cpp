#include "core/fetch/feed_client.hpp"

#include "core/fetch/file_source.hpp"

namespace em {

http_options feed_http_options(const feed_section& feed, const std::string& proxy) {
  http_options o;
  o.limits.connect_timeout = feed.connect_timeout;
  o.limits.handshake_timeout = feed.handshake_timeout;
  o.limits.total_timeout = feed.timeout;
  o.limits.max_body_size = feed.max_size;
  o.limits.max_header_size = feed.max_header_size;
  o.limits.max_redirects = feed.max_redirects;
  o.ca_file = feed.ca_file;
  o.proxy = proxy;
  o.allow_plain_http = false;
  return o;
}

feed_response fetch_feed(const std::string& url, const std::string& if_none_match,
                         const http_options& options, const http_transport& transport) {
  if (path_from_file_url(url))
    return {false, fetch_file_url(url, options.limits.max_body_size), {}};
  http_request request;
  request.url = url;
  if (!if_none_match.empty()) request.headers.emplace_back("If-None-Match", if_none_match);
  auto res = transport(request, options);
  if (res.status == 304 && !if_none_match.empty())
    return {true, {}, res.etag.empty() ? if_none_match : res.etag};
  if (res.status != 200) throw fetch_error(fetch_failure::http_status, status_text(res));
  return {false, std::move(res.body), std::move(res.etag)};
}

}  // namespace em
