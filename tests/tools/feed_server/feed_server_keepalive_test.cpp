// Keep-alive needs a client that keeps its connection: Beast directly here,
// since the service's own client closes after each exchange on purpose.
#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <thread>

#include "tests/tools/feed_server/feed_server_fixture.hpp"

using namespace em::test;
namespace net = boost::asio;
namespace http = boost::beast::http;

TEST_CASE_METHOD(feed_server_fixture, "one connection carries several requests (keep-alive)") {
  start();
  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.load_verify_file(tls_pki().ca.string());
  ctx.set_verify_mode(net::ssl::verify_peer);
  net::ssl::stream<net::ip::tcp::socket> stream(ioc, ctx);
  stream.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
  stream.handshake(net::ssl::stream_base::client);
  boost::beast::flat_buffer buffer;
  std::string etag;
  for (int i = 0; i < 3; ++i) {
    http::request<http::empty_body> req{http::verb::get, "/getexchangemitigations", 11};
    req.set(http::field::host, "127.0.0.1");
    if (!etag.empty()) req.set(http::field::if_none_match, etag);
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    CHECK(res.keep_alive());
    if (i == 0) {
      CHECK(res.result_int() == 200);
      etag = std::string(res[http::field::etag]);
    } else {
      CHECK(res.result_int() == 304);
    }
  }
  // Three requests, one client port: the server logs them all from it.
  const std::string from =
      "127.0.0.1:" + std::to_string(stream.next_layer().local_endpoint().port()) + " GET";
  auto count = [&] {
    auto out = server->out();
    std::size_t n = 0;
    for (auto pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + 1))
      ++n;
    return n;
  };
  for (int i = 0; i < 100 && count() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(count() == 3);
}
