#pragma once

// SPEC 12's long-poll, the client side: one GET of the feed with
// `If-None-Match: <etag>` and `Prefer: wait=<seconds>`, which a feed that
// long-polls holds until its document changes or the wait ends.
//
// Asynchronous on the caller's io_context, so the thread that runs it (emsd's
// main thread) waits for many things at once and none of them in a poll loop.
// The same checks and limits as http_exchange (TLS verification, proxy
// CONNECT, header and body size bounds); the answer may take the wait plus
// limits.total_timeout, and no longer. Redirects are not followed: the answer
// is returned as it is. Boost.Asio stays out of this header.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/fetch/http_client.hpp"

namespace boost::asio {
class io_context;
}

namespace em {

struct long_poll_request {
  std::string url;
  std::string etag;  // sent as If-None-Match when not empty
  std::chrono::seconds wait{300};
};

struct long_poll_response {
  http_response response;  // as http_exchange returns it
  // The server's `Preference-Applied: wait=N`; nullopt when it did not say:
  // it does not long-poll.
  std::optional<std::chrono::seconds> applied_wait;
  std::chrono::milliseconds elapsed{0};  // from the request to the last byte
};

// Called once, on the io_context's thread: the response, or why there is none.
using long_poll_callback =
    std::function<void(const std::optional<fetch_error>& failure, long_poll_response response)>;

// Starts the request and returns at once; `done` follows when it ends. DNS is
// looked up before the first step (bounded by the connect timeout); an IP
// address needs none. Stopping the io_context abandons the request.
void start_long_poll(boost::asio::io_context& ioc, const long_poll_request& request,
                     const http_options& options, long_poll_callback done);

}  // namespace em
