#include "core/fetch/http_common.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

namespace em::detail {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using boost::system::error_code;

namespace {

std::string name_text(const X509_NAME* name) {
  char buf[256] = {};
  X509_NAME_oneline(name, buf, sizeof buf);
  return buf;
}

}  // namespace

parsed_url parse_request_url(const std::string& url, const http_options& options) {
  std::string why;
  auto parsed = parsed_url::parse(url, &why);
  if (!parsed) throw fetch_error(fetch_failure::bad_url, "'" + url + "': " + why);
  if (!parsed->tls() && !options.allow_plain_http)
    throw fetch_error(fetch_failure::bad_url,
                      "'" + url + "': plain http:// is not allowed here; use https://");
  return *parsed;
}

std::optional<parsed_url> parse_proxy(const http_options& options) {
  if (options.proxy.empty()) return std::nullopt;
  std::string why;
  auto proxy = parsed_url::parse(options.proxy, &why);
  if (!proxy)
    throw fetch_error(fetch_failure::proxy, "bad proxy URL '" + options.proxy + "': " + why);
  if (proxy->tls())
    throw fetch_error(fetch_failure::proxy,
                      "proxy " + options.proxy + ": only http:// proxies are supported");
  return proxy;
}

fetch_error connect_error(const error_code& ec, const std::string& where, bool to_proxy) {
  if (to_proxy)
    return fetch_error(fetch_failure::proxy, "cannot connect to " + where + ": " + ec.message());
  if (ec == net::error::connection_refused) return fetch_error(fetch_failure::refused, where);
  return fetch_error(fetch_failure::unreachable, where + ": " + ec.message());
}

http::request<http::empty_body> make_connect_request(const parsed_url& url) {
  http::request<http::empty_body> req{http::verb::connect, url.host_port(), 11};
  req.set(http::field::host, url.host_port());
  req.set(http::field::user_agent, "EMService");
  return req;
}

std::optional<fetch_error> tunnel_error(const http::response<http::empty_body>& answer,
                                        const parsed_url& proxy, const parsed_url& url,
                                        std::size_t extra) {
  if (answer.result_int() != 200)
    return fetch_error(fetch_failure::proxy, "the proxy " + proxy.origin() + " answered " +
                                                 std::to_string(answer.result_int()) + " " +
                                                 std::string(answer.reason()) + " to CONNECT " +
                                                 url.host_port());
  if (extra != 0)
    return fetch_error(fetch_failure::proxy,
                       "the proxy " + proxy.origin() + " sent data before the tunnel");
  return std::nullopt;
}

void configure_tls_client(net::ssl::context& ctx, const http_options& options) {
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (options.ca_file)
    ctx.load_verify_file(options.ca_file->string(), ec);
  else
    ctx.set_default_verify_paths(ec);
  if (ec)
    throw fetch_error(fetch_failure::tls_certificate,
                      "cannot load the trusted CA certificates" +
                          (options.ca_file ? " from " + options.ca_file->string() : std::string()) +
                          ": " + ec.message());
  ctx.set_verify_mode(net::ssl::verify_peer);
}

std::shared_ptr<std::string> prepare_tls_stream(beast::ssl_stream<beast::tcp_stream>& stream,
                                                const parsed_url& url) {
  SSL* ssl = stream.native_handle();
  // RFC 6066: SNI carries host names only, never addresses.
  if (!url.host_is_ip) SSL_set_tlsext_host_name(ssl, url.host.c_str());
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (url.host_is_ip)
    X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
  else
    SSL_set1_host(ssl, url.host.c_str());
  auto rejected = std::make_shared<std::string>();
  stream.set_verify_callback([rejected](bool preverified, net::ssl::verify_context& vc) {
    if (!preverified && rejected->empty()) {
      if (X509* cert = X509_STORE_CTX_get_current_cert(vc.native_handle()))
        *rejected = "certificate " + name_text(X509_get_subject_name(cert)) + " issued by " +
                    name_text(X509_get_issuer_name(cert));
    }
    return preverified;  // OpenSSL's verdict stands; this only takes notes
  });
  return rejected;
}

// The certificate checks run inside the handshake; when they fail, OpenSSL's
// verify result says which one did, which is what the operator must fix.
// `rejected` names the certificate that failed (a TLS-inspecting proxy shows
// up here with its own CA as the issuer).
fetch_error tls_failure(SSL* ssl, const error_code& ec, const parsed_url& url,
                        const std::string& rejected) {
  const long v = SSL_get_verify_result(ssl);
  const std::string whose = url.host_port() + (rejected.empty() ? "" : ", " + rejected);
  if (v == X509_V_ERR_HOSTNAME_MISMATCH || v == X509_V_ERR_IP_ADDRESS_MISMATCH)
    return fetch_error(fetch_failure::tls_host_name, "the server's certificate is not issued for " +
                                                         url.host + " (" + whose + ")");
  if (v != X509_V_OK)
    return fetch_error(fetch_failure::tls_certificate,
                       std::string(X509_verify_cert_error_string(v)) + " (" + whose + ")");
  return fetch_error(fetch_failure::tls_handshake, ec.message() + " (" + url.host_port() + ")");
}

bool is_timeout(const error_code& ec) {
  return ec == beast::error::timeout;
}

fetch_error read_error(const error_code& ec, bool header_done, const http_limits& limits) {
  if (ec == http::error::body_limit)
    return fetch_error(
        fetch_failure::too_large,
        "the body is over the limit of " + std::to_string(limits.max_body_size) + " bytes");
  if (ec == http::error::header_limit)
    return fetch_error(
        fetch_failure::header_too_large,
        "the header is over the limit of " + std::to_string(limits.max_header_size) + " bytes");
  return fetch_error(fetch_failure::protocol,
                     header_done ? "reading the body: " + ec.message()
                                 : "the server did not answer with HTTP: " + ec.message());
}

http_response to_http_response(http::response<http::string_body>& res) {
  http_response out;
  out.status = static_cast<int>(res.result_int());
  out.reason = std::string(res.reason());
  out.etag = std::string(res[http::field::etag]);
  out.content_type = std::string(res[http::field::content_type]);
  out.body = std::move(res.body());
  out.location = std::string(res[http::field::location]);
  return out;
}

http::request<http::string_body> make_http_request(const http_request& r, const parsed_url& url,
                                                   bool absolute_form) {
  auto verb = http::string_to_verb(r.method);
  if (verb != http::verb::get && verb != http::verb::head && verb != http::verb::post)
    throw fetch_error(fetch_failure::bad_url, "unsupported method " + r.method);
  http::request<http::string_body> req{verb, absolute_form ? url.origin() + url.target : url.target,
                                       11};
  req.set(http::field::host, url.authority());
  req.set(http::field::user_agent, "EMService");
  // One exchange per connection: nothing to keep alive between hourly cycles.
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : r.headers)
    req.set(name, value);
  if (!r.body.empty() || verb == http::verb::post) {
    req.body() = r.body;
    req.prepare_payload();
  }
  return req;
}

}  // namespace em::detail
