#include "tools/emfeed/feed_server_routes.hpp"

#include <boost/beast/http/field.hpp>

#include "core/fetch/wait_preference.hpp"
#include "core/util/error.hpp"
#include "tools/emfeed/feed_server_session.hpp"

namespace emfeed {
namespace {

namespace http = boost::beast::http;

const std::string document_path = "/getexchangemitigations";
const std::string diagnostics_path = "/diagnostics";

std::string path_of(boost::beast::string_view target) {
  auto t = std::string(target);
  return t.substr(0, t.find('?'));
}

bool reads_document(const feed_request& req) {
  return path_of(req.target()) == document_path &&
         (req.method() == http::verb::get || req.method() == http::verb::head);
}

// The client's wait, cut to --max-wait; nullopt when it asked for none. Only
// the first Prefer field that names `wait` counts.
std::optional<std::chrono::seconds> asked_wait(const feed_request& req,
                                               const feed_server_shared& s) {
  if (s.options.max_wait.count() == 0) return std::nullopt;  // --max-wait 0: no long-poll here
  auto [first, last] = req.equal_range(http::field::prefer);
  for (auto f = first; f != last; ++f) {
    if (auto wait = em::parse_wait_preference(std::string(f->value())))
      return std::min(*wait, s.options.max_wait);
  }
  return std::nullopt;
}

feed_response serve_document(const feed_request& req, feed_server_shared& s, std::string& note) {
  auto doc = s.document.current();
  if (!doc.bytes) {
    note = "document unavailable: " + doc.error;
    return make_response(http::status::service_unavailable, req.version(),
                         "The mitigation document is not available\n");
  }
  feed_response res;
  if (feed_server_document::matches(std::string(req[http::field::if_none_match]), doc.etag)) {
    note = "not modified";
    res = make_response(http::status::not_modified, req.version());
  } else {
    res = make_response(http::status::ok, req.version(), *doc.bytes,
                        "application/xml; charset=utf-8");
  }
  res.set(http::field::etag, doc.etag);
  // Clients must ask each time (with If-None-Match) rather than trust a cache.
  res.set(http::field::cache_control, "no-cache");
  // Said whenever a wait was asked, held or not: it tells the client this
  // feed long-polls (SPEC 12), and for how long at most.
  if (auto wait = asked_wait(req, s))
    res.set(http::field::preference_applied, em::wait_preference(*wait));
  return res;
}

feed_response save_report(const feed_request& req, feed_server_shared& s, std::string& note) {
  if (!s.inbox) {
    note = "no --diagnostics-dir";
    return make_response(http::status::not_found, req.version(),
                         "Diagnostics are not collected here\n");
  }
  try {
    note = "saved " + s.inbox->save(req.body()).filename().string();
    return make_response(http::status::no_content, req.version());
  } catch (const em::invalid_input& e) {
    note = e.what();
    return make_response(http::status::bad_request, req.version(), std::string(e.what()) + "\n");
  } catch (const em::error& e) {
    note = e.what();
    return make_response(http::status::internal_server_error, req.version(),
                         "Cannot store the report\n");
  }
}

}  // namespace

feed_response make_response(http::status status, unsigned version, std::string body,
                            const char* type) {
  feed_response res{status, version};
  res.set(http::field::server, "emfeed");
  if (status != http::status::not_modified && status != http::status::no_content)
    res.set(http::field::content_type, type);
  res.body() = std::move(body);
  return res;
}

feed_response route(const feed_request& req, feed_server_shared& s, std::string& note) {
  const auto path = path_of(req.target());
  const auto verb = req.method();
  if (path == document_path) {
    if (reads_document(req)) {
      auto res = serve_document(req, s, note);
      if (verb == http::verb::head) {
        res.content_length(res.body().size());
        res.body().clear();
      }
      return res;
    }
    auto res = make_response(http::status::method_not_allowed, req.version(), "Use GET\n");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  if (path == diagnostics_path) {
    if (verb == http::verb::post) return save_report(req, s, note);
    auto res = make_response(http::status::method_not_allowed, req.version(), "Use POST\n");
    res.set(http::field::allow, "POST");
    return res;
  }
  return make_response(http::status::not_found, req.version(), "Not found\n");
}

std::optional<std::chrono::seconds> long_poll_wait(const feed_request& req, feed_server_shared& s) {
  // Most requests ask no wait: they are answered without a second look at the file.
  if (req.find(http::field::prefer) == req.end() || !reads_document(req)) return std::nullopt;
  auto wait = asked_wait(req, s);
  if (!wait || wait->count() <= 0) return std::nullopt;
  auto doc = s.document.current();
  if (!doc.bytes ||
      !feed_server_document::matches(std::string(req[http::field::if_none_match]), doc.etag))
    return std::nullopt;
  return wait;
}

}  // namespace emfeed
