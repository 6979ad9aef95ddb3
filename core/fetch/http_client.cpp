#include "core/fetch/http_client.hpp"

#include "core/fetch/http_common.hpp"
#include "core/fetch/http_connection.hpp"

namespace em {
namespace {

namespace http = boost::beast::http;

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Where a redirect leads, or why it is not followed.
parsed_url follow(const http_response& res, const parsed_url& from, unsigned hops,
                  const http_options& options) {
  const std::string where = res.location.empty() ? "nowhere (no Location)" : res.location;
  const std::string what =
      std::to_string(res.status) + " redirect from " + from.origin() + from.target + " to " + where;
  if (hops >= options.limits.max_redirects)
    throw fetch_error(
        fetch_failure::redirect,
        what + ": " +
            (options.limits.max_redirects == 0
                 ? std::string("redirects are not allowed")
                 : "more than " + std::to_string(options.limits.max_redirects) + " redirects"));
  auto next = resolve_location(from, res.location);
  if (!next) throw fetch_error(fetch_failure::redirect, what + ": not a valid URL");
  if (from.tls() && !next->tls())
    throw fetch_error(fetch_failure::redirect, what + ": never from https to http");
  if (!next->tls() && !options.allow_plain_http)
    throw fetch_error(fetch_failure::redirect, what + ": plain http:// is not allowed here");
  return *next;
}

http_response follow_redirects(const http_request& request, const http_options& options) {
  auto url = detail::parse_request_url(request.url, options);
  detail::exchange_deadlines deadlines(options.limits);
  http_request current = request;
  for (unsigned hops = 0;; ++hops) {
    detail::http_connection connection(options);
    connection.open(url, deadlines);
    auto res = connection.exchange(
        detail::make_http_request(current, url, connection.absolute_form()), deadlines);
    res.url = url.origin() + url.target;
    if (!is_redirect(res.status)) return res;
    url = follow(res, url, hops, options);
    if (res.status == 303) {  // "see other": fetched with GET, whatever the first method
      current.method = "GET";
      current.body.clear();
    }
  }
}

}  // namespace

// The one place exceptions other than fetch_error (Asio's system_error when
// no socket can be had, bad_alloc…) become one, so callers catch one type.
http_response http_exchange(const http_request& request, const http_options& options) {
  try {
    return follow_redirects(request, options);
  } catch (const fetch_error&) {
    throw;
  } catch (const std::exception& e) {
    throw fetch_error(fetch_failure::internal, e.what());
  }
}

std::string status_text(const http_response& response) {
  return std::to_string(response.status) + (response.reason.empty() ? "" : " " + response.reason) +
         " from " + response.url;
}

std::string http_get(const std::string& url, const http_options& options) {
  http_request request;
  request.url = url;
  auto res = http_exchange(request, options);
  if (res.status != 200) throw fetch_error(fetch_failure::http_status, status_text(res));
  return std::move(res.body);
}

std::string http_get(const std::string& url, const http_limits& limits, const std::string& proxy) {
  http_options options;
  options.limits = limits;
  options.proxy = proxy;
  options.allow_plain_http = true;
  return http_get(url, options);
}

}  // namespace em
