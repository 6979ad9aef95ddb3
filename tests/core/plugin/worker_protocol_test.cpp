// The plugin worker's wire without a worker: frames over a real socket pair,
// and every message encoded, decoded and refused when it is not what it
// should be (issue 16: a versioned protocol with checked fields).
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/plugin/worker/frame_io.hpp"
#include "core/plugin/worker/worker_protocol.hpp"
#include "core/util/error.hpp"

using namespace em::worker;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct socket_pair {
  int fd[2] = {-1, -1};
  socket_pair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fd) == 0); }
  ~socket_pair() {
    close(0);
    close(1);
  }
  void close(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
  void raw(const std::string& bytes) {
    REQUIRE(::write(fd[0], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
};

std::string header(std::uint32_t size) {
  std::string h(4, '\0');
  for (int i = 0; i < 4; ++i)
    h[static_cast<std::size_t>(i)] = static_cast<char>(size >> (24 - 8 * i));
  return h;
}

// A message as text, changed by `edit`, so one field at a time can be wrong.
template <class Edit>
std::string edited(const std::string& message, Edit edit) {
  auto j = json::parse(message);
  edit(j);
  return j.dump();
}

const emservice::action sample{"M1.1",  "UrlRewrite",        "Site", "Default Web Site",
                               "Block", "<rule name=\"x\"/>"};

}  // namespace

TEST_CASE("frames: length-prefixed, whole or nothing, bounded") {
  socket_pair p;
  SECTION("a frame and an empty one arrive as written") {
    write_frame(p.fd[0], "hello");
    write_frame(p.fd[0], "");
    auto a = read_frame(p.fd[1], 1s);
    CHECK(a.what == frame::status::ok);
    CHECK(a.payload == "hello");
    auto b = read_frame(p.fd[1], 1s);
    CHECK(b.what == frame::status::ok);
    CHECK(b.payload.empty());
  }
  SECTION("the length is 4 big-endian bytes") {
    p.raw(header(3) + "abc");
    CHECK(read_frame(p.fd[1], 1s).payload == "abc");
  }
  SECTION("nothing yet: a timeout, not a block") {
    auto started = std::chrono::steady_clock::now();
    CHECK(read_frame(p.fd[1], 200ms).what == frame::status::timeout);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
  }
  SECTION("half a frame, then the writer dies: closed") {
    p.raw(header(10) + "abc");
    p.close(0);
    CHECK(read_frame(p.fd[1], 1s).what == frame::status::closed);
  }
  SECTION("half a header, then silence: a timeout") {
    p.raw(std::string(2, '\0'));
    CHECK(read_frame(p.fd[1], 200ms).what == frame::status::timeout);
  }
  SECTION("a length above the limit is refused before anything is read or allocated") {
    p.raw(header(static_cast<std::uint32_t>(max_frame + 1)));
    CHECK(read_frame(p.fd[1], 1s).what == frame::status::invalid);
  }
  SECTION("writing more than the limit throws, writing to a closed peer too") {
    CHECK_THROWS_AS(write_frame(p.fd[0], std::string(max_frame + 1, 'x')), em::error);
    p.close(1);
    CHECK_THROWS_WITH(write_frame(p.fd[0], "x"), Catch::Contains("channel is closed"));
  }
}

TEST_CASE("setup: the configuration's parts travel whole, settings with their place") {
  setup s;
  s.config_file = "/etc/emservice/emsd.conf";
  s.server_name = "EX01";
  s.store_path = "/var/lib/emservice/state.db";
  s.plugins.dir = "/usr/lib/emservice/plugins";
  s.plugins.call_timeout = 2500ms;
  s.plugins.tables["apppool"]["timeout"] = {"'5s'", 14, 11};
  s.plugins.tables["apppool"]["stop_command"] = {"[ '/x', 'stop' ]", 15, 16};
  s.iis.application_host = "/srv/iis/applicationHost.config";
  s.iis.variables["SystemDrive"] = "/srv/iis/C:";
  s.iis.backups = 7;
  s.skip = {"/usr/lib/emservice/plugins/crash.so"};

  auto back = decode_setup(encode(s));
  CHECK(back.config_file == s.config_file);
  CHECK(back.server_name == "EX01");
  CHECK(back.store_path == s.store_path);
  CHECK(back.plugins.dir == s.plugins.dir);
  CHECK(back.plugins.call_timeout == 2500ms);
  const auto& t = back.plugins.tables.at("apppool").at("timeout");
  CHECK(t.toml == "'5s'");
  CHECK(t.line == 14);
  CHECK(t.column == 11);
  CHECK(back.plugins.tables.at("apppool").at("stop_command").toml == "[ '/x', 'stop' ]");
  CHECK(back.iis.application_host == s.iis.application_host);
  CHECK(back.iis.variables == s.iis.variables);
  CHECK(back.iis.backups == 7);
  CHECK(back.skip == s.skip);

  SECTION("another protocol version is refused") {
    auto other = edited(encode(s), [](json& j) { j["protocol"] = protocol_version + 1; });
    CHECK_THROWS_WITH(decode_setup(other), Catch::Contains("protocol version"));
  }
  SECTION("a call timeout of 0 or beyond a year is out of range") {
    for (std::int64_t ms :
         {std::int64_t{0}, std::int64_t{400LL * 24 * 3600 * 1000}, std::int64_t{-5}}) {
      auto bad = edited(encode(s), [ms](json& j) { j["plugins"]["call_timeout_ms"] = ms; });
      CHECK_THROWS_WITH(decode_setup(bad), Catch::Contains("call_timeout_ms"));
    }
  }
  SECTION("a backup count out of range is refused") {
    auto bad = edited(encode(s), [](json& j) { j["iis"]["backups"] = 0; });
    CHECK_THROWS_WITH(decode_setup(bad), Catch::Contains("'backups' is 0, outside 1..1000"));
  }
  SECTION("a missing server name, a wrong type or another message is refused") {
    CHECK_THROWS_WITH(decode_setup(edited(encode(s), [](json& j) { j.erase("server_name"); })),
                      Catch::Contains("'server_name' is missing"));
    CHECK_THROWS_WITH(decode_setup(edited(encode(s), [](json& j) { j["skip"] = "x"; })),
                      Catch::Contains("'skip' is not an array"));
    CHECK_THROWS_WITH(decode_setup(encode(loading{"/p/a.so"})),
                      Catch::Contains("expected a 'setup' message, got 'loading'"));
    CHECK_THROWS_WITH(decode_setup("{not json"), Catch::Contains("malformed setup message"));
  }
}

TEST_CASE("issue_13_worker_etcd_store: an etcd store of plugin values travels with the setup") {
  setup s;
  s.server_name = "EX01";
  s.plugins.dir = "/usr/lib/emservice/plugins";
  CHECK_FALSE(decode_setup(encode(s)).store_etcd);  // SQLite, or memory only

  em::etcd_section e;
  e.endpoints = {"https://10.0.0.1:2379", "https://10.0.0.2:2379"};
  e.prefix = "/emservice/contoso/";
  e.ca_file = "/etc/emservice/etcd/ca.pem";
  e.cert_file = "/etc/emservice/etcd/ex01.pem";
  e.key_file = "/etc/emservice/etcd/ex01.key";
  e.user = "ex01";
  e.password_file = "/etc/emservice/etcd/ex01.password";
  e.timeout = 1500ms;
  s.store_etcd = e;
  const auto back = decode_setup(encode(s)).store_etcd;
  REQUIRE(back);
  CHECK(back->endpoints == e.endpoints);
  CHECK(back->prefix == e.prefix);
  CHECK(back->ca_file == e.ca_file);
  CHECK(back->cert_file == e.cert_file);
  CHECK(back->key_file == e.key_file);
  CHECK(back->user == "ex01");
  CHECK(back->password_file == e.password_file);
  CHECK(back->timeout == 1500ms);

  s.store_etcd->ca_file.reset();
  CHECK_FALSE(decode_setup(encode(s)).store_etcd->ca_file);
  auto bad = edited(encode(s), [](json& j) { j["store_etcd"]["timeout_ms"] = 0; });
  CHECK_THROWS_WITH(decode_setup(bad), Catch::Contains("'timeout_ms' is 0"));
  bad = edited(encode(s), [](json& j) { j["store_etcd"]["endpoints"] = json::array(); });
  CHECK_THROWS_WITH(decode_setup(bad), Catch::Contains("'endpoints' is empty"));
}

TEST_CASE("calls: the call type is an enum, the ID counts from 1") {
  for (auto what : {em::call_type::validate, em::call_type::check, em::call_type::apply,
                    em::call_type::rollback}) {
    auto back = decode_call(encode(call{7, what, sample}));
    CHECK(back.id == 7);
    CHECK(back.what == what);
    CHECK(back.action.id == "M1.1");
    CHECK(back.action.target == "Default Web Site");
    CHECK(back.action.value_xml == sample.value_xml);
  }
  const auto good = encode(call{7, em::call_type::apply, sample});
  CHECK_THROWS_WITH(decode_call(edited(good, [](json& j) { j["call"] = "format"; })),
                    Catch::Contains("unknown call 'format'"));
  CHECK_THROWS_WITH(decode_call(edited(good, [](json& j) { j["id"] = 0; })),
                    Catch::Contains("'id' is 0, outside 1.."));
  CHECK_THROWS_WITH(decode_call(edited(good, [](json& j) { j["id"] = -3; })),
                    Catch::Contains("'id' is not a whole number"));
  CHECK_THROWS_WITH(decode_call(edited(good, [](json& j) { j["action"]["id"] = ""; })),
                    Catch::Contains("'id' is empty"));
  CHECK_THROWS_WITH(decode_call(edited(good, [](json& j) { j["action"]["value"] = 5; })),
                    Catch::Contains("'value' is not a string"));
}

TEST_CASE("results: states and log levels by name, logs bounded") {
  result r{3, {true, emservice::check_state::not_in_effect, "not there"}, {}};
  r.logs.push_back({"rewrite", emservice::log_level::warning, "backup kept"});
  auto back = decode_result(encode(r));
  CHECK(back.id == 3);
  CHECK(back.outcome.ok);
  CHECK(back.outcome.state == emservice::check_state::not_in_effect);
  CHECK(back.outcome.message == "not there");
  REQUIRE(back.logs.size() == 1);
  CHECK(back.logs[0].plugin == "rewrite");
  CHECK(back.logs[0].level == emservice::log_level::warning);

  const auto text = encode(r);
  CHECK_THROWS_WITH(decode_result(edited(text, [](json& j) { j["state"] = "maybe"; })),
                    Catch::Contains("'state' has an unknown value 'maybe'"));
  CHECK_THROWS_WITH(decode_result(edited(text, [](json& j) { j["logs"][0]["level"] = "loud"; })),
                    Catch::Contains("'level' has an unknown value 'loud'"));
  CHECK_THROWS_WITH(decode_result(edited(text, [](json& j) { j["ok"] = "yes"; })),
                    Catch::Contains("'ok' is not a boolean"));

  SECTION("a level a plugin made up is sent as information, never out of range") {
    result odd{4, {}, {{"p", static_cast<emservice::log_level>(9), "odd"}}};
    CHECK(decode_result(encode(odd)).logs[0].level == emservice::log_level::information);
  }
  SECTION("a plugin that logs in a loop: the first lines and a count") {
    std::vector<log_line> lines(max_log_lines + 250, {"chatty", emservice::log_level::debug, "x"});
    cap_log_lines(lines);
    REQUIRE(lines.size() == max_log_lines + 1);
    CHECK(lines.back().text == "250 more log line(s) of this call were dropped");
    result big{5, {}, lines};
    CHECK(decode_result(encode(big)).logs.size() == max_log_lines + 1);
    auto too_many = edited(encode(big), [](json& j) { j["logs"].push_back(j["logs"][0]); });
    CHECK_THROWS_WITH(decode_result(too_many), Catch::Contains("more log lines"));
  }
}

TEST_CASE("loading: each file, then its declaration, then hello with settings and refusals") {
  auto l = decode_progress(encode(loading{"/p/apppool.so"}));
  CHECK(l.what == load_progress::kind::loading);
  CHECK(l.file.file == "/p/apppool.so");

  auto d = decode_progress(encode_declared({"/p/apppool.so", "", "apppool", {"DisableAppPool"}}));
  CHECK(d.what == load_progress::kind::declared);
  CHECK(d.declared.name == "apppool");
  CHECK(d.declared.action_types == std::vector<std::string>{"DisableAppPool"});

  hello h;
  em::plugin_info p{"apppool", "/p/apppool.so", {"DisableAppPool"}, 2, 0, {}, "1 bytes"};
  p.settings.push_back({"timeout", emservice::setting_type::duration, "\"60s\"", "how long"});
  p.settings.push_back({"stop_command", emservice::setting_type::list, std::nullopt, "stop"});
  h.plugins.push_back(p);
  h.problems.push_back({"/p/crash.so", "the plugin worker crashed", "crash", {"crashAction"}});
  h.logs.push_back({"apppool", emservice::log_level::information, "ready"});
  auto back = decode_progress(encode(h));
  REQUIRE(back.what == load_progress::kind::hello);
  REQUIRE(back.done.plugins.size() == 1);
  CHECK(back.done.plugins[0] == p);
  REQUIRE(back.done.problems.size() == 1);
  CHECK(back.done.problems[0].action_types == std::vector<std::string>{"crashAction"});
  CHECK(back.done.logs.size() == 1);

  CHECK_THROWS_WITH(
      decode_progress(
          edited(encode(h), [](json& j) { j["plugins"][0]["settings"][0]["type"] = "float"; })),
      Catch::Contains("unknown setting type 'float'"));
  CHECK_THROWS_WITH(
      decode_progress(edited(encode(h), [](json& j) { j["plugins"][0]["abi_major"] = 1LL << 40; })),
      Catch::Contains("'abi_major' is"));
  CHECK_THROWS_WITH(decode_progress(edited(encode(h), [](json& j) { j["protocol"] = 1; })),
                    Catch::Contains("protocol version 1"));
  CHECK_THROWS_WITH(decode_progress(encode(call{1, em::call_type::apply, sample})),
                    Catch::Contains("unexpected 'call' message while the plugins load"));
}
