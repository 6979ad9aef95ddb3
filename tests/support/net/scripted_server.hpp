#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace em::test {

// A request as a scripted server received it.
struct received_request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string sni;  // the TLS server name the client sent; empty for none (or plain HTTP)
  std::string header(const std::string& lower_name) const;
};

// How a scripted server behaves; the hostile modes are what a broken or
// malicious feed endpoint can do to a client.
enum class server_mode {
  respond,       // reads the request, sends `response` (or `responder`'s), closes
  silent,        // accepts the TCP connection, then never reads nor writes
  mute,          // completes TLS, reads the request, never answers
  trickle,       // reads the request, sends `response` one byte per `trickle_interval`
  endless_body,  // reads the request, sends a 200 header and then body bytes without end
  huge_headers,  // reads the request, sends a status line and `huge_header_bytes` of fields
  banner,        // sends `response` as soon as the client connects (as SSH does), reads nothing
};

struct server_script {
  server_mode mode = server_mode::respond;
  bool tls = true;
  std::filesystem::path cert, key;  // required when tls
  std::string response;             // raw HTTP, see http_response_text()
  // When set, answers each request instead of `response`.
  std::function<std::string(const received_request&)> responder;
  std::chrono::milliseconds trickle_interval{1000};
  std::size_t huge_header_bytes = 10 * 1024 * 1024;
};

// A deliberately simple test server on 127.0.0.1 (a thread per connection,
// blocking I/O); the destructor shuts every socket and joins every thread.
// Requests are parsed with Beast; answers are raw bytes so they can be as
// wrong as a test needs.
class scripted_server {
 public:
  explicit scripted_server(server_script script);
  ~scripted_server();
  scripted_server(const scripted_server&) = delete;
  scripted_server& operator=(const scripted_server&) = delete;

  std::uint16_t port() const;
  // "https://127.0.0.1:PORT/path" (http:// when the script has no TLS).
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const;
  std::vector<received_request> requests() const;
  int connections() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// "HTTP/1.1 <status> <reason>\r\n<fields>Content-Length: n\r\nConnection: close\r\n\r\n<body>"
std::string http_response_text(int status, const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& fields = {});

}  // namespace em::test
