#pragma once

// A small, bounded HTTP(S) client (Boost.Beast and OpenSSL underneath, kept
// out of this header). Used for the feed, the diagnostics POST, the
// connectivity test and CRL downloads.
//
// Every call is synchronous and bounded: it returns or throws within
// limits.total_timeout (see http_limits), whatever the server or the network
// does. It never retries; callers decide.
//
// HTTPS: TLS 1.2 or later; the server's certificate chain is verified against
// options.ca_file, or the system's trust store when none is given; the
// certificate must name the URL's host (DNS name, or IP address SAN for an IP
// URL); SNI is sent for host names. There is no way to turn verification off.
//
// Proxy: options.proxy "http://host[:port]" (the server's InternetWebProxy).
// https:// URLs go through an HTTP CONNECT tunnel with TLS end to end, so the
// proxy sees only host:port; http:// URLs are sent to the proxy in absolute form.
//
// Thread safety: calls share nothing; any thread may call at any time.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/fetch/fetch_error.hpp"
#include "core/fetch/http_limits.hpp"

namespace em {

struct http_options {
  http_limits limits;
  // PEM file of the CA certificate(s) that issue the servers' TLS
  // certificates; nullopt: the system trust store.
  std::optional<std::filesystem::path> ca_file;
  // "http://host[:port]", or empty for a direct connection.
  std::string proxy;
  // Plain http:// URLs (and redirects to them) are refused unless this is set.
  // The feed never sets it; CRL downloads do (a CRL is signed by its issuer).
  bool allow_plain_http = false;
  // A client certificate (PEM, with its chain) and its key, presented when the
  // server asks for one (etcd with --client-cert-auth); both or neither.
  std::optional<std::filesystem::path> cert_file;
  std::optional<std::filesystem::path> key_file;
};

struct http_request {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;
  // Extra header fields, e.g. {"If-None-Match", "\"abc\""} or {"Content-Type", "application/json"}.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with Content-Length when not empty
};

struct http_response {
  int status = 0;      // 200, 304, …
  std::string reason;  // "OK", as the server sent it
  std::string etag;    // the ETag header, verbatim (quotes included); empty when none
  std::string content_type;
  std::string location;  // the Location header of a redirect that was not followed
  std::string body;
  std::string url;  // where it came from, after any redirects
};

// Sends `request` and returns the server's answer, whatever its status, once
// redirects (up to options.limits.max_redirects) are followed.
// Throws fetch_error naming the failure class: bad_url, name_resolution,
// refused, unreachable, proxy, tls_handshake, tls_certificate, tls_host_name,
// timeout, too_large, header_too_large, redirect, protocol, or internal (this
// side failed: no file descriptor, no memory). It throws nothing else.
http_response http_exchange(const http_request& request, const http_options& options);

// What http_exchange does; a test puts a fake in its place.
using http_transport = std::function<http_response(const http_request&, const http_options&)>;

// GET `url` (http:// or https://) and return the body of a 200 answer.
//
// Meant for certificate revocation lists at a certificate's CRL distribution
// point, which are normally plain http://: plain http is allowed here.
// `limits` is used as given: max_body_size bounds the CRL, total_timeout the
// whole download, and redirects are followed only up to max_redirects (0 by
// default; CDPs seldom redirect, so 0 or a small number such as 3 is right).
// `proxy` as in http_options (the server's InternetWebProxy, or empty).
//
// Throws fetch_error: http_status for any status but 200 (the message names
// it, e.g. "Unexpected HTTP status: 404 Not Found from http://…"), or any class
// http_exchange throws.
//
//   em::http_limits limits;
//   limits.max_body_size = 8 * 1024 * 1024;
//   limits.total_timeout = std::chrono::seconds(15);
//   std::string der = em::http_get("http://crl.example.com/ca.crl", limits);
std::string http_get(const std::string& url, const http_limits& limits,
                     const std::string& proxy = {});

// The same with every option (a CA file for https:// CDPs, for instance).
// options.allow_plain_http is used as given.
std::string http_get(const std::string& url, const http_options& options);

// The first words of an http_status message for `response`, e.g.
// "404 Not Found from https://…"; shared by callers that refuse a status.
std::string status_text(const http_response& response);

}  // namespace em
