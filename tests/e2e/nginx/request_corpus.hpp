#pragma once

#include <string>
#include <utility>
#include <vector>

namespace em::test {

// One request of the differential corpus, as sent to nginx byte for byte.
struct corpus_request {
  std::string method = "GET";
  std::string target;  // the request target exactly as on the request line
  std::string host = "mail.contoso.com";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string origin;  // which family it comes from, for messages
};

// ProxyNotShell's shapes and generated variants of them (letters in any case,
// percent-encoded once, twice or more, "//" and "/./" in the path), ordinary
// Exchange traffic and near misses, and requests for the other rules of
// corpus_document (cookies, ECP posts, the health probe, old bookmarks),
// plus a few URIs nginx answers 400. The same every run (a fixed seed).
std::vector<corpus_request> request_corpus();

}  // namespace em::test
