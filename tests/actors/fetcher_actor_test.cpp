#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/fetcher_actor.hpp"
#include "core/store/etcd/etcd_store.hpp"
#include "core/store/sqlite_store.hpp"
#include "tests/actors/support/actor_fixture.hpp"
#include "tests/actors/support/mocks.hpp"
#include "tests/support/etcd/etcd_launch.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em;

namespace {

const std::string feed_url = "https://feed.example/getexchangemitigations";
const std::string diag_url = "https://feed.example/diagnostics";

// The network as the fetcher sees it: scripted answers, recorded requests.
struct fake_network {
  std::vector<http_request> requests;
  std::vector<http_options> options;
  std::optional<fetch_error> fail;
  http_response feed{200, "OK", "\"v2\"", "application/xml", {}, "<EOCS>new</EOCS>", {}};
  int diagnostics_status = 204;

  http_transport transport() {
    return [this](const http_request& r, const http_options& o) {
      requests.push_back(r);
      options.push_back(o);
      if (fail) throw *fail;
      http_response res =
          r.method == "POST" ? http_response{diagnostics_status, "", "", "", "", "", {}} : feed;
      res.url = r.url;
      return res;
    };
  }
  std::vector<http_request> posts() const {
    std::vector<http_request> out;
    for (const auto& r : requests)
      if (r.method == "POST") out.push_back(r);
    return out;
  }
};

struct fetcher_fixture : test::actor_fixture {
  test::temp_dir dir;
  std::shared_ptr<em::store> store = open_sqlite_store(dir / "state.db");
  std::shared_ptr<test::stage_script> verifier_script = std::make_shared<test::stage_script>();
  std::shared_ptr<test::audit_journal> journal = std::make_shared<test::audit_journal>();
  audit_actor audit = spawn(test::mock_audit, journal);
  verifier_actor verifier = spawn(test::mock_verifier, verifier_script);
  fake_network net;

  fetcher_fixture() { store->register_server("EX01", "Exchange2019", "15.2.1118.7"); }

  fetch_settings settings(const std::string& url, std::uint64_t max_size = 1024) {
    fetch_settings s;
    s.server_name = "EX01";
    s.product = "Exchange2019";
    s.build = "15.2.1118.7";
    s.feed.url = url;
    s.feed.max_size = max_size;
    s.feed.diagnostics_url = diag_url;
    s.transport = net.transport();
    return s;
  }

  caf::expected<cycle_report> run_cycle(const fetch_settings& s) {
    return request<cycle_report>(spawn(em::fetcher, s, store, verifier, audit), run_atom::value);
  }

  void set_server(const server_changes& c) { store->update_server("EX01", c, "admin"); }

  // As the policy does after a cycle that accepted `bytes` from `url`.
  void store_accepted(const std::string& url, const std::string& bytes, const std::string& etag) {
    cycle_record r;
    r.checked_at = std::chrono::system_clock::now();
    r.result = "Completed";
    r.applied = {"PING1.1"};
    r.document = stored_document{url, etag, bytes, "digest", r.checked_at};
    store->record_cycle("EX01", r);
  }
};

}  // namespace

TEST_CASE_METHOD(fetcher_fixture,
                 "a file:// document goes to the verifier, whose answer ends the cycle") {
  test::write_text(dir / "doc.xml", "<EOCS>signed bytes</EOCS>");
  auto url = "file://" + (dir / "doc.xml").string();
  auto report = run_cycle(settings(url));
  REQUIRE(report);
  CHECK(report->result == "Completed: scripted");
  REQUIRE(verifier_script->fetched.size() == 1);
  CHECK(verifier_script->fetched[0].bytes == "<EOCS>signed bytes</EOCS>");
  CHECK(verifier_script->fetched[0].source == url);
  CHECK(journal->logged(log_level::information, "Fetching mitigations from " + url));
  CHECK(journal->count_events(event_id::error) == 0);
  CHECK(net.requests.empty());
}

TEST_CASE_METHOD(fetcher_fixture, "an https document goes to the verifier with its ETag") {
  auto report = run_cycle(settings(feed_url));
  REQUIRE(report);
  REQUIRE(verifier_script->fetched.size() == 1);
  CHECK(verifier_script->fetched[0].bytes == "<EOCS>new</EOCS>");
  CHECK(verifier_script->fetched[0].etag == "\"v2\"");
  REQUIRE(net.requests.size() == 1);
  CHECK(net.requests[0].url == feed_url);
  CHECK(net.requests[0].headers.empty());
  CHECK(net.options[0].proxy.empty());
  CHECK_FALSE(net.options[0].allow_plain_http);
  CHECK(journal->logged(log_level::information,
                        "Fetched 16 bytes from " + feed_url + " (ETag \"v2\")"));
}

TEST_CASE_METHOD(fetcher_fixture, "the verifier's rejection comes back to the requester") {
  verifier_script->fail = make_error(cycle_errc::rejected, "bad digest");
  auto report = run_cycle(settings(feed_url));
  REQUIRE_FALSE(report);
  CHECK(reason_of(report.error()) == "bad digest");
}

TEST_CASE_METHOD(fetcher_fixture,
                 "a fetch failure ends the cycle with its class, reason and event 1008") {
  auto check_failure = [&](const fetch_settings& s, const std::string& why) {
    auto report = run_cycle(s);
    REQUIRE_FALSE(report);
    CHECK(report.error().category() == cycle_error_category);
    CHECK(report.error().code() == static_cast<std::uint8_t>(cycle_errc::fetch_failed));
    CHECK_THAT(reason_of(report.error()), Catch::Contains(why));
    CHECK(journal->logged(log_level::error, why));
  };
  check_failure(settings("file://" + (dir / "missing.xml").string()), "missing.xml does not exist");
  test::write_text(dir / "big.xml", std::string(2048, 'x'));
  check_failure(settings("file://" + (dir / "big.xml").string()), "over the limit of 1024");
  net.fail = fetch_error(fetch_failure::tls_certificate, "certificate has expired");
  check_failure(settings(feed_url),
                "TLS certificate or its chain validation failed: certificate has expired");
  CHECK(journal->logged(log_level::error, "Unable to fetch mitigations from " + feed_url +
                                              " (TlsCertificate): TLS certificate"));
  CHECK(journal->count_events(event_id::error) == 3);
  CHECK(verifier_script->fetched.empty());
}

TEST_CASE_METHOD(fetcher_fixture,
                 "repeated failures are counted in the log and reset by a success") {
  auto fetcher = spawn(em::fetcher, settings(feed_url), store, verifier, audit);
  net.fail = fetch_error(fetch_failure::timeout, "no TLS handshake within 10s");
  CHECK_FALSE(request<cycle_report>(fetcher, run_atom::value));
  CHECK_FALSE(request<cycle_report>(fetcher, run_atom::value));
  CHECK(journal->logged(log_level::error, "no TLS handshake within 10s [2 failures in a row]"));
  net.fail.reset();
  CHECK(request<cycle_report>(fetcher, run_atom::value));
  net.fail = fetch_error(fetch_failure::timeout, "again");
  CHECK_FALSE(request<cycle_report>(fetcher, run_atom::value));
  CHECK(journal->logged(log_level::error, "(Timeout): Timed out: again"));
  CHECK_FALSE(journal->logged(log_level::error, "again ["));
}

TEST_CASE_METHOD(fetcher_fixture, "the server's InternetWebProxy is read each cycle and logged") {
  auto fetcher = spawn(em::fetcher, settings(feed_url), store, verifier, audit);
  set_server({std::nullopt, std::nullopt, std::nullopt, std::string("http://proxy.example:3128")});
  REQUIRE(request<cycle_report>(fetcher, run_atom::value));
  CHECK(net.options.back().proxy == "http://proxy.example:3128");
  CHECK(journal->logged(log_level::information,
                        "Using Proxy http://proxy.example:3128 To Fetch Configurations"));
  set_server({std::nullopt, std::nullopt, std::nullopt, std::string()});
  REQUIRE(request<cycle_report>(fetcher, run_atom::value));
  CHECK(net.options.back().proxy.empty());
}

TEST_CASE_METHOD(fetcher_fixture,
                 "a 304 re-verifies the last accepted document and keeps its ETag") {
  store_accepted(feed_url, "<EOCS>old</EOCS>", "\"v1\"");
  net.feed = {304, "Not Modified", "", "", {}, "", {}};
  auto report = run_cycle(settings(feed_url));
  REQUIRE(report);
  REQUIRE(net.requests.size() == 1);
  REQUIRE(net.requests[0].headers.size() == 1);
  CHECK(net.requests[0].headers[0] ==
        std::pair<std::string, std::string>{"If-None-Match", "\"v1\""});
  REQUIRE(verifier_script->fetched.size() == 1);
  CHECK(verifier_script->fetched[0].bytes == "<EOCS>old</EOCS>");
  CHECK(verifier_script->fetched[0].etag == "\"v1\"");
  CHECK(verifier_script->fetched[0].source == feed_url);
  CHECK(journal->logged(log_level::information, "is not modified (ETag \"v1\")"));
  CHECK(journal->logged(log_level::information, "verifying it again locally"));
}

TEST_CASE_METHOD(fetcher_fixture, "a document kept from another URL is not offered as current") {
  store_accepted("https://old-feed.example/x", "<EOCS>old</EOCS>", "\"v1\"");
  REQUIRE(run_cycle(settings(feed_url)));
  REQUIRE(net.requests.size() == 1);
  CHECK(net.requests[0].headers.empty());
}

TEST_CASE_METHOD(fetcher_fixture, "no diagnostics are sent while DataCollectionEnabled is false") {
  REQUIRE(run_cycle(settings(feed_url)));
  CHECK(net.posts().empty());
  CHECK(journal->logged(log_level::information,
                        "No diagnostic data sent. DataCollectionEnabled is false"));
}

TEST_CASE_METHOD(fetcher_fixture,
                 "diagnostics follow the cycle when DataCollectionEnabled is true") {
  set_server({std::nullopt, std::vector<std::string>{"M2"}, true, std::nullopt});
  store_accepted(feed_url, "<EOCS/>", "");
  REQUIRE(run_cycle(settings(feed_url)));
  auto posts = net.posts();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].url == diag_url);
  auto j = nlohmann::json::parse(posts[0].body);
  CHECK(j["ServerName"] == "EX01");
  CHECK(j["OrganizationId"] == store->get_org().organization_id);
  CHECK(j["Build"] == "15.2.1118.7");
  CHECK(j["ServiceState"] == "Running");
  CHECK(j["LastResult"] == "Completed: scripted");
  CHECK(j["MitigationsApplied"] == nlohmann::json::array({"PING1.1"}));
  CHECK(j["MitigationsBlocked"] == nlohmann::json::array({"M2"}));
  CHECK(journal->logged(log_level::information, "Sent diagnostic data to " + diag_url + ": {"));
  bool logged_as_diagnostics = false;
  for (const auto& l : journal->logs)
    logged_as_diagnostics |= l.operation == log_operation::send_diagnostics &&
                             l.message.find("Sent diagnostic data") != std::string::npos;
  CHECK(logged_as_diagnostics);
}

TEST_CASE_METHOD(fetcher_fixture,
                 "a rejected cycle is reported too, and a failed POST changes nothing") {
  set_server({std::nullopt, std::nullopt, true, std::nullopt});
  verifier_script->fail = make_error(cycle_errc::rejected, "bad digest");
  net.diagnostics_status = 500;
  auto report = run_cycle(settings(feed_url));
  REQUIRE_FALSE(report);
  CHECK(reason_of(report.error()) == "bad digest");
  auto posts = net.posts();
  REQUIRE(posts.size() == 1);
  CHECK(nlohmann::json::parse(posts[0].body)["LastResult"] == "bad digest");
  CHECK(journal->logged(log_level::error, "Unable to send diagnostic data to " + diag_url +
                                              ": Unexpected HTTP status: 500"));
  CHECK(journal->count_events(event_id::error) == 0);
}

TEST_CASE_METHOD(fetcher_fixture,
                 "without a diagnostics URL nothing is sent, and the log says why") {
  set_server({std::nullopt, std::nullopt, true, std::nullopt});
  auto s = settings(feed_url);
  s.feed.diagnostics_url.clear();
  REQUIRE(run_cycle(s));
  CHECK(net.posts().empty());
  CHECK(journal->logged(log_level::information,
                        "No diagnostic data sent. feed.diagnostics_url is not set"));
}

TEST_CASE_METHOD(fetcher_fixture,
                 "issue_14 a long-poll's document goes to the verifier without a second fetch") {
  auto fetcher = spawn(em::fetcher, settings(feed_url), store, verifier, audit);
  auto report = request<cycle_report>(fetcher, run_atom::value,
                                      fetched_document{feed_url, "<EOCS>pushed</EOCS>", "\"v3\""});
  REQUIRE(report);
  CHECK(report->result == "Completed: scripted");
  CHECK(net.requests.empty());  // no GET: the bytes came with the request
  REQUIRE(verifier_script->fetched.size() == 1);
  CHECK(verifier_script->fetched[0].bytes == "<EOCS>pushed</EOCS>");
  CHECK(verifier_script->fetched[0].etag == "\"v3\"");
  CHECK(verifier_script->fetched[0].source == feed_url);
  CHECK(journal->logged(log_level::information,
                        "Received 19 bytes from " + feed_url + " by long-poll (ETag \"v3\")"));
}

TEST_CASE_METHOD(fetcher_fixture,
                 "a decision pass hands the last accepted document to the verifier, fetching "
                 "nothing") {
  store_accepted(feed_url, "<EOCS>kept</EOCS>", "\"v1\"");
  auto fetcher = spawn(em::fetcher, settings(feed_url), store, verifier, audit);
  auto report = request<cycle_report>(fetcher, replay_atom::value);
  REQUIRE(report);
  REQUIRE(verifier_script->fetched.size() == 1);
  CHECK(verifier_script->fetched[0].bytes == "<EOCS>kept</EOCS>");
  CHECK(verifier_script->fetched[0].etag == "\"v1\"");
  CHECK(verifier_script->fetched[0].source == feed_url);
  CHECK(net.requests.empty());  // no fetch, no diagnostics
  CHECK(journal->logged(log_level::information, "(nothing is fetched)"));
}

TEST_CASE_METHOD(fetcher_fixture, "a decision pass before any accepted document says so") {
  auto fetcher = spawn(em::fetcher, settings(feed_url), store, verifier, audit);
  auto report = request<cycle_report>(fetcher, replay_atom::value);
  REQUIRE_FALSE(report);
  CHECK(report.error().code() == static_cast<std::uint8_t>(cycle_errc::no_document));
  CHECK(verifier_script->fetched.empty());
  CHECK(journal->logged(log_level::information, "No document has been accepted on EX01 yet"));
}

TEST_CASE_METHOD(fetcher_fixture,
                 "issue_13_store_unavailable: the cycle stops before fetching, "
                 "with event 1008 naming the endpoint") {
  const auto port = test::free_member_ports(1).at(0).client;
  etcd_section section;
  section.endpoints = {"http://127.0.0.1:" + std::to_string(port)};
  section.prefix = "/unreachable/";
  section.timeout = std::chrono::milliseconds(200);
  std::shared_ptr<em::store> down = open_etcd_store(section);
  const auto why =
      "store unavailable: http://127.0.0.1:" + std::to_string(port) + ": connection refused";
  for (bool pass : {false, true}) {
    auto fetcher = spawn(em::fetcher, settings(feed_url), down, verifier, audit);
    auto report = pass ? request<cycle_report>(fetcher, replay_atom::value)
                       : request<cycle_report>(fetcher, run_atom::value);
    REQUIRE_FALSE(report);
    CHECK(report.error().code() == static_cast<std::uint8_t>(cycle_errc::store_unavailable));
    CHECK(reason_of(report.error()) == why);
  }
  CHECK(journal->count_events(event_id::error) == 2);
  CHECK(journal->events.at(0).message == why);
  CHECK(net.requests.empty());
  CHECK(verifier_script->fetched.empty());
}
