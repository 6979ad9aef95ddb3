#pragma once

// Internal to core/fetch: what the synchronous exchange (http_connection,
// http_client) and the long-poll (long_poll_client) share, so both check a
// URL, a proxy and a server the same way and name a failure the same way.
// Compiles Beast: include it only from the units that already do.

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <optional>
#include <string>

#include "core/fetch/http_client.hpp"
#include "core/fetch/parsed_url.hpp"

namespace em::detail {

// The URL a request goes to; throws fetch_error(bad_url), also for plain
// http:// unless options.allow_plain_http.
parsed_url parse_request_url(const std::string& url, const http_options& options);

// options.proxy parsed, or nullopt for none; throws fetch_error(proxy) for a
// bad one (only http:// proxies are supported).
std::optional<parsed_url> parse_proxy(const http_options& options);

// Why a TCP connection to `where` failed (a timeout excepted).
fetch_error connect_error(const boost::system::error_code& ec, const std::string& where,
                          bool to_proxy);

// HTTP CONNECT host:port, and what is wrong with the proxy's answer to it
// (nullopt: the tunnel is open). `extra` is what the proxy sent after its
// answer, which would be read as the TLS server's.
boost::beast::http::request<boost::beast::http::empty_body> make_connect_request(
    const parsed_url& url);
std::optional<fetch_error> tunnel_error(
    const boost::beast::http::response<boost::beast::http::empty_body>& answer,
    const parsed_url& proxy, const parsed_url& url, std::size_t extra);

// TLS 1.2 or later; the servers' certificates verified against
// options.ca_file or the system's store. Throws fetch_error(tls_certificate)
// when the CA file cannot be loaded.
void configure_tls_client(boost::asio::ssl::context& ctx, const http_options& options);

// Before the handshake: SNI for a host name, and the check that the
// certificate names the URL's host (DNS name or IP address SAN). The string
// returned names the certificate the chain check refused, once it has.
std::shared_ptr<std::string> prepare_tls_stream(
    boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, const parsed_url& url);

// Why a handshake failed, from OpenSSL's verify result: a certificate, its
// host name, or the handshake itself; `rejected` as prepare_tls_stream gave it.
fetch_error tls_failure(SSL* ssl, const boost::system::error_code& ec, const parsed_url& url,
                        const std::string& rejected);

// Why reading a response failed (a timeout excepted: its message names the
// deadline, which the caller knows).
fetch_error read_error(const boost::system::error_code& ec, bool header_done,
                       const http_limits& limits);
bool is_timeout(const boost::system::error_code& ec);

// The fields the service reads from an answer.
http_response to_http_response(boost::beast::http::response<boost::beast::http::string_body>& res);

// The request line and fields every request of the service carries.
boost::beast::http::request<boost::beast::http::string_body> make_http_request(
    const http_request& r, const parsed_url& url, bool absolute_form);

}  // namespace em::detail
