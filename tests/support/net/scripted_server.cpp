#include "tests/support/net/scripted_server.hpp"

#include "tests/support/net/threaded_listener.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>

namespace em::test {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string received_request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string http_response_text(int status, const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string reason = status == 200 ? "OK" : status == 304 ? "Not Modified" : "Status";
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& [name, value] : fields)
    text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return text + body;
}

struct scripted_server::impl {
  server_script script;
  net::ssl::context tls{net::ssl::context::tls_server};
  mutable std::mutex mutex;
  std::condition_variable stop_cv;
  std::atomic<bool> stopping{false};
  std::vector<received_request> requests;
  // Last, so it stops (and joins the threads that use the rest) first.
  std::unique_ptr<threaded_listener> listener;

  // Sleeps, or returns false at once when the server stops.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock(mutex);
    return !stop_cv.wait_for(lock, d, [&] { return stopping.load(); });
  }

  template <class Stream>
  bool send(Stream& s, const std::string& bytes) {
    boost::system::error_code ec;
    net::write(s, net::buffer(bytes), ec);
    return !ec && !stopping;
  }

  template <class Stream>
  void answer(Stream& s, const received_request& req) {
    switch (script.mode) {
      case server_mode::respond:
        send(s, script.responder ? script.responder(req) : script.response);
        break;
      case server_mode::mute: {
        char c;
        boost::system::error_code ec;
        s.read_some(net::buffer(&c, 1), ec);  // until the client gives up
        break;
      }
      case server_mode::trickle:
        for (char c : script.response)
          if (!send(s, std::string(1, c)) || !pause(script.trickle_interval)) break;
        break;
      case server_mode::endless_body: {
        if (!send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n<EOCS>")) break;
        const std::string chunk(64 * 1024, 'x');
        while (send(s, chunk)) {
        }
        break;
      }
      case server_mode::huge_headers: {
        if (!send(s, "HTTP/1.1 200 OK\r\n")) break;
        const std::string field = "X-Filler: " + std::string(1000, 'h') + "\r\n";
        for (std::size_t sent = 0; sent < script.huge_header_bytes; sent += field.size())
          if (!send(s, field)) return;
        send(s, "Content-Length: 0\r\n\r\n");
        break;
      }
      case server_mode::silent:
      case server_mode::banner:
        break;
    }
  }

  template <class Stream>
  void handle(Stream& s, const std::string& sni = {}) {
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    boost::system::error_code ec;
    http::read(s, buffer, req, ec);
    if (ec) return;
    received_request r{
        std::string(req.method_string()), std::string(req.target()), {}, req.body(), sni};
    for (const auto& f : req)
      r.headers[lower(std::string(f.name_string()))] = std::string(f.value());
    {
      std::lock_guard<std::mutex> lock(mutex);
      requests.push_back(r);
    }
    answer(s, r);
  }

  void serve(std::shared_ptr<tcp::socket> sock) {
    boost::system::error_code ec;
    if (script.mode == server_mode::silent || script.mode == server_mode::banner) {
      if (script.mode == server_mode::banner) send(*sock, script.response);
      char c;
      sock->read_some(net::buffer(&c, 1), ec);
      return;
    }
    if (!script.tls) return handle(*sock);
    net::ssl::stream<tcp::socket&> stream(*sock, tls);
    stream.handshake(net::ssl::stream_base::server, ec);
    if (ec) return;
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    handle(stream, sni ? sni : "");
  }
};

scripted_server::scripted_server(server_script script) : impl_(std::make_unique<impl>()) {
  impl_->script = std::move(script);
  if (impl_->script.tls) {
    impl_->tls.use_certificate_chain_file(impl_->script.cert.string());
    impl_->tls.use_private_key_file(impl_->script.key.string(), net::ssl::context::pem);
  }
  impl_->listener = std::make_unique<threaded_listener>(
      [this](threaded_listener::socket_ptr sock) { impl_->serve(std::move(sock)); });
}

scripted_server::~scripted_server() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  impl_->listener->stop();
}

std::uint16_t scripted_server::port() const {
  return impl_->listener->port();
}

std::string scripted_server::url(const std::string& path, const std::string& host) const {
  return std::string(impl_->script.tls ? "https://" : "http://") + host + ":" +
         std::to_string(port()) + path;
}

std::vector<received_request> scripted_server::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->requests;
}

int scripted_server::connections() const {
  return impl_->listener->connections();
}

}  // namespace em::test
