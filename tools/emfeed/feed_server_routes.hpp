#pragma once

// Internal to `emfeed serve`: what each request is answered, apart from the
// connection that carries it. Included only by the units that compile Beast.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace emfeed {

struct feed_server_shared;

using feed_request = boost::beast::http::request<boost::beast::http::string_body>;
using feed_response = boost::beast::http::response<boost::beast::http::string_body>;

feed_response make_response(boost::beast::http::status status, unsigned version,
                            std::string body = {}, const char* type = "text/plain; charset=utf-8");

// The answer to `req`; `note` says why, for the log line.
feed_response route(const feed_request& req, feed_server_shared& s, std::string& note);

// SPEC 12: how long to hold `req` before answering it, or nullopt to answer
// at once. Held: a GET or HEAD of the document that asks `Prefer: wait=N`
// (N > 0, cut to --max-wait) with an If-None-Match naming the document as it
// is now; anything else has its answer ready.
std::optional<std::chrono::seconds> long_poll_wait(const feed_request& req, feed_server_shared& s);

}  // namespace emfeed
