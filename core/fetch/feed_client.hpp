#pragma once

#include <string>

#include "core/config/service_config.hpp"
#include "core/fetch/http_client.hpp"

namespace em {

// What one fetch of the feed's document gave.
struct feed_response {
  bool not_modified = false;  // 304: the document the ETag names is still current
  std::string bytes;          // the document, when modified
  std::string etag;           // the server's ETag (the one sent, on 304); empty when none
};

// The HTTP options of the [feed] section: limits, CA file, and the server's
// InternetWebProxy (empty for none). Plain http is never allowed for the feed.
http_options feed_http_options(const feed_section& feed, const std::string& proxy);

// SPEC 4 step 1: GET the feed's document. `if_none_match` (the ETag of the last
// accepted document, or empty) is sent as If-None-Match, and a 304 then comes
// back as not_modified. 200 gives the bytes; any other status throws
// fetch_error(http_status). A file:// URL is read from disk within
// max_body_size (and is never not_modified). Throws fetch_error, or em::error
// for a file that cannot be read.
feed_response fetch_feed(const std::string& url, const std::string& if_none_match,
                         const http_options& options,
                         const http_transport& transport = http_exchange);

}  // namespace em
