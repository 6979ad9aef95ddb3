#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "tests/support/run_command.hpp"
#include "tests/tools/feed_server/feed_server_fixture.hpp"

using namespace em;
using namespace em::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::filesystem::path> reports_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir))
      files.push_back(e.path());
  return files;
}

// A TCP connection to the server that has sent nothing (yet).
int raw_connection(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(port);
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
  return fd;
}

}  // namespace

TEST_CASE_METHOD(feed_server_fixture,
                 "the document is served with an ETag, and 304 when unchanged") {
  start();
  auto first = get();
  CHECK(first.status == 200);
  CHECK(first.body == "<EOCS>first</EOCS>");
  CHECK(first.content_type == "application/xml; charset=utf-8");
  REQUIRE(first.etag.size() == 34);
  CHECK(first.etag.front() == '"');

  auto again = get({{"If-None-Match", first.etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.etag == first.etag);
  CHECK(get({{"If-None-Match", "\"other\", W/" + first.etag}}).status == 304);
  CHECK(get({{"If-None-Match", "\"other\""}}).status == 200);

  // One log line per request, with the status.
  REQUIRE(server->wait_for_output("GET /getexchangemitigations 304", 5s));
  CHECK_THAT(server->out(), Catch::Contains("127.0.0.1:"));
  CHECK_THAT(server->out(), Catch::Contains("GET /getexchangemitigations 200 18"));
}

TEST_CASE_METHOD(feed_server_fixture, "a changed document is served at once with a new ETag") {
  start();
  auto first = get();
  write_text(dir / "doc.xml", "<EOCS>second, longer</EOCS>");
  auto changed = get({{"If-None-Match", first.etag}});
  CHECK(changed.status == 200);
  CHECK(changed.body == "<EOCS>second, longer</EOCS>");
  CHECK(changed.etag != first.etag);
  // An atomic replace (a new inode) counts as a change too.
  write_text(dir / "doc.new", "<EOCS>third</EOCS>");
  std::filesystem::rename(dir / "doc.new", dir / "doc.xml");
  CHECK(get().body == "<EOCS>third</EOCS>");
}

TEST_CASE_METHOD(feed_server_fixture, "unknown paths are 404 and wrong methods 405") {
  start();
  auto o = options();
  CHECK(http_exchange({"GET", url("/nothing"), {}, {}}, o).status == 404);
  CHECK(http_exchange({"POST", url("/getexchangemitigations"), {}, "x"}, o).status == 405);
  CHECK(http_exchange({"GET", url("/diagnostics"), {}, {}}, o).status == 405);
  auto head = http_exchange({"HEAD", url("/getexchangemitigations"), {}, {}}, o);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE_METHOD(feed_server_fixture,
                 "diagnostics reports are stored one file each, within limits") {
  start();
  auto o = options();
  auto post = [&](const std::string& body) {
    return http_exchange(
        {"POST", url("/diagnostics"), {{"Content-Type", "application/json"}}, body}, o);
  };
  CHECK(post("{\"ServerName\":\"EX01\"}").status == 204);
  CHECK(post("{\"ServerName\":\"EX02\"}").status == 204);
  auto files = reports_in(dir / "diag");
  REQUIRE(files.size() == 2);
  std::sort(files.begin(), files.end());
  CHECK(read_text(files[0]) == "{\"ServerName\":\"EX01\"}");
  CHECK(read_text(files[1]) == "{\"ServerName\":\"EX02\"}");

  CHECK(post("not json").status == 400);
  CHECK(post("[1,2]").status == 400);
  CHECK(post("{\"x\":\"" + std::string(70 * 1024, 'a') + "\"}").status == 413);
  CHECK(reports_in(dir / "diag").size() == 2);
  REQUIRE(server->wait_for_output("POST /diagnostics 204 0 (saved ", 5s));
}

TEST_CASE_METHOD(feed_server_fixture, "without --diagnostics-dir reports are refused") {
  start(false);
  CHECK(http_exchange({"POST", url("/diagnostics"), {}, "{}"}, options()).status == 404);
}

TEST_CASE_METHOD(feed_server_fixture, "many clients at once are served while idle ones wait") {
  start();
  // Connections that never start TLS must not hold anyone up.
  std::vector<int> idle;
  for (int i = 0; i < 5; ++i)
    idle.push_back(raw_connection(port));
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  auto start_time = std::chrono::steady_clock::now();
  for (int i = 0; i < 32; ++i)
    clients.emplace_back([&] {
      try {
        if (get().body == "<EOCS>first</EOCS>") ++ok;
      } catch (const std::exception&) {
      }
    });
  for (auto& c : clients)
    c.join();
  CHECK(ok == 32);
  CHECK(std::chrono::steady_clock::now() - start_time < 5s);
  for (int fd : idle)
    ::close(fd);
}

TEST_CASE_METHOD(feed_server_fixture,
                 "issue_14 --max-handshakes: stalled handshakes make new clients wait their "
                 "turn, silent connections do not") {
  start(true, false, {"--max-handshakes", "2"});
  // More silent connections than turns: they take none.
  std::vector<int> silent;
  for (int i = 0; i < 5; ++i)
    silent.push_back(raw_connection(port));
  std::this_thread::sleep_for(200ms);
  CHECK(get().status == 200);

  // Two handshakes started and left hanging (a TLS record header announcing
  // a ClientHello that never comes) take both turns.
  std::vector<int> stalled;
  for (int i = 0; i < 2; ++i) {
    stalled.push_back(raw_connection(port));
    const unsigned char header[] = {0x16, 0x03, 0x01, 0x00, 0xc8};
    REQUIRE(::write(stalled.back(), header, sizeof header) == sizeof header);
  }
  std::this_thread::sleep_for(300ms);
  auto impatient = options();
  impatient.limits.total_timeout = 1500ms;
  try {
    http_exchange({"GET", url("/getexchangemitigations"), {}, {}}, impatient);
    FAIL("served while both turns were taken");
  } catch (const fetch_error& e) {
    CHECK(e.failure() == fetch_failure::timeout);
  }
  for (int fd : stalled)
    ::close(fd);
  CHECK(get().status == 200);
  CHECK(server->wait_for_output("TLS handshake failed", 5s));
  for (int fd : silent)
    ::close(fd);
}

TEST_CASE_METHOD(feed_server_fixture, "SIGTERM and SIGINT stop the server cleanly") {
  for (int sig : {SIGTERM, SIGINT}) {
    start();
    CHECK(get().status == 200);
    server->signal(sig);
    auto code = server->wait(5s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK_THAT(server->out(), Catch::Contains(sig == SIGTERM ? "Stopping: SIGTERM received"
                                                             : "Stopping: SIGINT received"));
  }
}

TEST_CASE_METHOD(feed_server_fixture, "plain HTTP only with --insecure-http, which feeds refuse") {
  start(true, true);
  CHECK(server->wait_for_output("--insecure-http", 5s, true));
  http_limits limits;
  CHECK(http_get(url("/getexchangemitigations", false), limits) == "<EOCS>first</EOCS>");
  CHECK_THROWS_AS(http_exchange({"GET", url("/getexchangemitigations", false), {}, {}}, options()),
                  fetch_error);
}

TEST_CASE("emfeed serve refuses bad arguments with exit 2") {
  temp_dir dir;
  write_text(dir / "doc.xml", "<EOCS/>");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {emfeed_path().string(), "serve"});
    return run_command(args, 10s);
  };
  auto doc = (dir / "doc.xml").string();
  auto cert = tls_pki().server_cert.string(), key = tls_pki().server_key.string();
  auto no_cert = run({"--listen", "127.0.0.1:0", "--document", doc});
  CHECK(no_cert.exit_code == 2);
  CHECK_THAT(no_cert.err, Catch::Contains("--cert and --key are required"));
  auto bad_listen = run({"--listen", "127.0.0.1", "--document", doc, "--cert", cert, "--key", key});
  CHECK(bad_listen.exit_code == 2);
  CHECK_THAT(bad_listen.err, Catch::Contains("expected ADDRESS:PORT"));
  auto wrong_key = run({"--listen", "127.0.0.1:0", "--document", doc, "--cert", cert, "--key",
                        tls_pki().expired_key.string()});
  CHECK(wrong_key.exit_code == 2);
  CHECK_THAT(wrong_key.err, Catch::Contains("cannot use --key"));
  auto no_doc = run({"--listen", "127.0.0.1:0", "--document", (dir / "none.xml").string(), "--cert",
                     cert, "--key", key});
  CHECK(no_doc.exit_code == 1);
  CHECK_THAT(no_doc.err, Catch::Contains("cannot serve --document"));
}
