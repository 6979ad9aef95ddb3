#include "core/store/etcd/etcd_client.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <thread>

#include "core/fetch/http_connection.hpp"
#include "core/store/etcd/etcd_json.hpp"
#include "core/util/file_util.hpp"

namespace em::etcd {
namespace {

namespace http = boost::beast::http;
using steady = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

// gRPC status codes the gateway passes on (google.golang.org/grpc/codes).
constexpr int code_invalid_argument = 3;
constexpr int code_deadline_exceeded = 4;
constexpr int code_permission_denied = 7;
constexpr int code_failed_precondition = 9;
constexpr int code_unavailable = 14;
constexpr int code_unauthenticated = 16;

// A page of statuses or documents may be large; far beyond this is a broken
// or hostile member, not an organisation.
constexpr std::uint64_t max_answer_size = 64ull * 1024 * 1024;
constexpr std::size_t max_idle_connections = 8;
constexpr ms max_connect_time{2'000};
constexpr ms first_pause{50}, longest_pause{500};

std::string read_password(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    throw invalid_input("store.etcd.password_file " + file.string() + ": cannot be read");
  if (!S_ISREG(st.st_mode))
    throw invalid_input("store.etcd.password_file " + file.string() + ": not a regular file");
  if (st.st_mode & S_IROTH)
    throw invalid_input("store.etcd.password_file " + file.string() +
                        ": readable by every user of this host; chmod o-r it");
  std::string password;
  try {
    password = read_file(file, 4096);
  } catch (const std::exception& e) {
    throw invalid_input("store.etcd.password_file " + file.string() + ": " + e.what());
  }
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
    password.pop_back();
  if (password.empty())
    throw invalid_input("store.etcd.password_file " + file.string() + ": empty");
  return password;
}

// What the operator reads after "store unavailable: <endpoint>: ".
std::string reason_of(const fetch_error& e) {
  if (e.failure() == fetch_failure::refused) return "connection refused";
  return e.what();
}

bool transient(int status, const std::optional<gateway_error>& err) {
  if (status == 502 || status == 503 || status == 504) return true;
  return err && (err->code == code_unavailable || err->code == code_deadline_exceeded);
}

struct member {
  std::string url;
  parsed_url parsed;
  std::string token;
  bool auth_off = false;  // the member said authentication is not enabled
  std::vector<std::unique_ptr<detail::http_connection>> idle;
};

}  // namespace

client_settings client_settings::from_config(const etcd_section& section) {
  client_settings s;
  s.endpoints = section.endpoints;
  s.ca_file = section.ca_file;
  s.cert_file = section.cert_file;
  s.key_file = section.key_file;
  s.user = section.user;
  if (section.password_file) s.password = read_password(*section.password_file);
  s.timeout = section.timeout;
  return s;
}

struct stream_stop::state {
  std::mutex mutex;
  bool stopped = false;
  detail::http_connection* active = nullptr;
};

stream_stop::stream_stop() : state_(std::make_shared<state>()) {}
stream_stop::~stream_stop() = default;

void stream_stop::stop() {
  std::lock_guard lock(state_->mutex);
  state_->stopped = true;
  if (state_->active) state_->active->cancel();
}

bool stream_stop::stopped() const {
  std::lock_guard lock(state_->mutex);
  return state_->stopped;
}

struct client::impl {
  client_settings settings;
  std::mutex mutex;
  std::vector<member> members;
  std::size_t preferred = 0;

  explicit impl(client_settings s) : settings(std::move(s)) {
    if (settings.endpoints.empty()) throw invalid_input("store.etcd.endpoints: none given");
    for (const auto& url : settings.endpoints) {
      std::string why;
      auto parsed = parsed_url::parse(url, &why);
      if (!parsed) throw invalid_input("store.etcd.endpoints: bad endpoint '" + url + "': " + why);
      members.push_back(member{url, *parsed, {}, false, {}});
    }
    // Each client starts at a member of its own, so a fleet's load spreads
    // over the cluster instead of falling on the first member listed.
    preferred = std::random_device{}() % members.size();
  }

  http_options options_until(steady::time_point deadline) const {
    // One member may not take the whole budget: one that lost its leader
    // holds a request until it gives up, and the others deserve a try.
    const auto share = std::max<ms>(settings.timeout / 2, ms(1'000));
    deadline = std::min(deadline, steady::now() + share);
    http_options o;
    o.ca_file = settings.ca_file;
    o.cert_file = settings.cert_file;
    o.key_file = settings.key_file;
    o.allow_plain_http = true;  // the configuration allows it to loopback addresses only
    const auto left = std::max(ms(1), std::chrono::duration_cast<ms>(deadline - steady::now()));
    o.limits.total_timeout = left;
    o.limits.connect_timeout = std::min(left, max_connect_time);
    o.limits.handshake_timeout = std::min(left, max_connect_time);
    o.limits.max_body_size = max_answer_size;
    return o;
  }

  http::request<http::string_body> make_request(const member& m, const std::string& path,
                                                const std::string& body,
                                                const std::string& token) const {
    http::request<http::string_body> req{http::verb::post, path, 11};
    req.set(http::field::host, m.parsed.authority());
    req.set(http::field::user_agent, "EMService");
    req.set(http::field::content_type, "application/json");
    if (!token.empty()) req.set(http::field::authorization, token);
    // Watches end when the member loses its leader, instead of going quiet.
    req.set("Grpc-Metadata-hasleader", "true");
    req.body() = body;
    req.prepare_payload();
    return req;
  }

  std::unique_ptr<detail::http_connection> take_idle(std::size_t i) {
    std::lock_guard lock(mutex);
    auto& idle = members[i].idle;
    if (idle.empty()) return nullptr;
    auto conn = std::move(idle.back());
    idle.pop_back();
    return conn;
  }

  void give_back(std::size_t i, std::unique_ptr<detail::http_connection> conn) {
    std::lock_guard lock(mutex);
    if (members[i].idle.size() < max_idle_connections) members[i].idle.push_back(std::move(conn));
  }

  // One request on a kept connection, or on a new one when the kept one
  // turns out to have been closed by the member meanwhile.
  http_response exchange(std::size_t i, const std::string& path, const std::string& body,
                         const std::string& token, steady::time_point deadline) {
    const auto options = options_until(deadline);
    detail::exchange_deadlines deadlines(options.limits);
    auto req = make_request(members[i], path, body, token);
    auto conn = take_idle(i);
    bool reused = conn != nullptr;
    for (;;) {
      if (!conn) {
        conn = std::make_unique<detail::http_connection>(options);
        conn->open(members[i].parsed, deadlines);
      }
      try {
        auto res = conn->exchange(req, deadlines);
        give_back(i, std::move(conn));
        return res;
      } catch (const fetch_error& e) {
        if (!reused || e.failure() == fetch_failure::timeout) throw;
        conn.reset();
        reused = false;
      }
    }
  }

  std::string user_text() const { return "etcd user '" + settings.user + "'"; }

  // Throws for an answer that another member would give as well.
  [[noreturn]] void refuse(const member& m, const std::string& path, const http_response& res,
                           const std::optional<gateway_error>& err) const {
    if (res.body.find("CommonName of client") != std::string::npos)
      throw refused(code_invalid_argument,
                    "etcd at " + m.url +
                        " refuses a client certificate that has a Common Name on its JSON "
                        "gateway while etcd's authentication is on; issue " +
                        (settings.cert_file ? settings.cert_file->string() : "it") +
                        " without a CN (see docs/fleet.md)");
    if (!err)
      throw refused(0, "etcd at " + m.url + " answered " + std::to_string(res.status) + " " +
                           res.reason + " to " + path +
                           " (is it etcd 3.4 or later, serving its "
                           "JSON gateway at /v3/?)");
    if (err->code == code_permission_denied)
      throw refused(err->code,
                    "permission denied" + (settings.user.empty() ? "" : " to " + user_text()));
    if (err->message.find("user name is empty") != std::string::npos)
      throw refused(err->code,
                    "etcd at " + m.url +
                        " has authentication enabled: set store.etcd.user and password_file");
    if (err->code == code_unauthenticated || path == "/v3/auth/authenticate")
      throw refused(err->code, user_text() + ": " + err->message);
    throw refused(err->code, "etcd refused " + path + ": " + err->message);
  }

  std::string token_for(std::size_t i, steady::time_point deadline) {
    if (settings.user.empty()) return {};
    {
      std::lock_guard lock(mutex);
      if (!members[i].token.empty() || members[i].auth_off) return members[i].token;
    }
    auto res = exchange(i, "/v3/auth/authenticate",
                        authenticate_body(settings.user, settings.password), {}, deadline);
    auto err = res.status == 200 ? std::nullopt : parse_error(res.body);
    std::lock_guard lock(mutex);
    if (res.status == 200) return members[i].token = parse_token(res.body);
    if (err && err->code == code_failed_precondition) {  // "authentication is not enabled"
      members[i].auth_off = true;
      return {};
    }
    if (transient(res.status, err)) throw fetch_error(fetch_failure::unreachable, err->message);
    refuse(members[i], "/v3/auth/authenticate", res, err);
  }

  void forget_token(std::size_t i) {
    std::lock_guard lock(mutex);
    members[i].token.clear();
    members[i].auth_off = false;
  }

  // One try on member i: the answer's body, or nullopt with `reason` set when
  // another member should be tried.
  std::optional<std::string> try_member(std::size_t i, const std::string& path,
                                        const std::string& body, steady::time_point deadline,
                                        std::string& reason) {
    for (int auth_tries = 0;; ++auth_tries) {
      auto res = exchange(i, path, body, token_for(i, deadline), deadline);
      if (res.status == 200) return std::move(res.body);
      auto err = parse_error(res.body);
      const bool token_trouble =
          err && (err->code == code_unauthenticated ||
                  err->message.find("user name is empty") != std::string::npos);
      if (token_trouble && !settings.user.empty() && auth_tries == 0) {
        forget_token(i);  // expired, or made by a member that restarted since
        continue;
      }
      if (transient(res.status, err)) {
        reason = err ? err->message : std::to_string(res.status) + " " + res.reason;
        return std::nullopt;
      }
      refuse(members[i], path, res, err);
    }
  }

  template <class Try>
  auto with_failover(Try&& attempt) {
    const auto deadline = steady::now() + settings.timeout;
    std::vector<std::string> reasons(members.size());
    auto pause = first_pause;
    int refused_rounds = 0;
    for (;;) {
      std::size_t start;
      {
        std::lock_guard lock(mutex);
        start = preferred;
      }
      bool all_refused = true;
      for (std::size_t k = 0; k < members.size() && steady::now() < deadline; ++k) {
        const std::size_t i = (start + k) % members.size();
        try {
          if (auto out = attempt(i, deadline, reasons[i])) {
            std::lock_guard lock(mutex);
            preferred = i;
            return std::move(*out);
          }
          all_refused = false;
        } catch (const fetch_error& e) {
          reasons[i] = reason_of(e);
          all_refused = all_refused && e.failure() == fetch_failure::refused;
        }
      }
      // Nothing listens anywhere, twice over: no member is about to answer.
      refused_rounds = all_refused ? refused_rounds + 1 : 0;
      if (refused_rounds >= 2 || steady::now() + pause >= deadline) throw unavailable(reasons);
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, longest_pause);
    }
  }

  store_unavailable unavailable(const std::vector<std::string>& reasons) const {
    std::string text;
    for (std::size_t i = 0; i < members.size(); ++i)
      if (!reasons[i].empty())
        text += (text.empty() ? "" : "; ") + members[i].url + ": " + reasons[i];
    if (text.empty())
      text = members.front().url + ": no answer within " +
             std::to_string(settings.timeout.count()) + " ms (store.etcd.timeout)";
    return store_unavailable("store unavailable: " + text);
  }

  std::string call(const std::string& path, const std::string& body) {
    return with_failover([&](std::size_t i, steady::time_point deadline, std::string& reason) {
      return try_member(i, path, body, deadline, reason);
    });
  }
};

client::client(client_settings settings) : impl_(std::make_unique<impl>(std::move(settings))) {}
client::~client() = default;

const client_settings& client::settings() const {
  return impl_->settings;
}

range_result client::range(const range_request& request) {
  return parse_range(impl_->call("/v3/kv/range", range_body(request)));
}

range_result client::range_prefix(const std::string& prefix, std::int64_t at_revision,
                                  std::int64_t page) {
  range_request r;
  r.key = prefix;
  r.range_end = prefix_end(prefix);
  r.limit = page;
  r.revision = at_revision;
  range_result all;
  all.revision = at_revision;
  for (;;) {
    auto part = range(r);
    if (all.revision == 0) all.revision = part.revision;
    r.revision = all.revision;
    all.kvs.insert(all.kvs.end(), std::make_move_iterator(part.kvs.begin()),
                   std::make_move_iterator(part.kvs.end()));
    if (!part.more || part.kvs.empty()) return all;
    r.key = all.kvs.back().key + '\0';  // the next key after the last one read
  }
}

txn_result client::txn(const txn_request& request) {
  return parse_txn(impl_->call("/v3/kv/txn", txn_body(request)));
}

std::int64_t client::grant_lease(std::chrono::seconds ttl) {
  return parse_lease_grant(impl_->call("/v3/lease/grant", lease_grant_body(ttl.count())));
}

std::int64_t client::keep_alive(std::int64_t lease) {
  return parse_keepalive(impl_->call("/v3/lease/keepalive", lease_id_body(lease)));
}

void client::revoke_lease(std::int64_t lease) {
  impl_->call("/v3/lease/revoke", lease_id_body(lease));
}

void client::stream(const std::string& path, const std::string& body,
                    const std::function<bool(std::string_view)>& on_data, stream_stop& stop,
                    const std::function<void(const std::string&)>& on_open) {
  auto& m = *impl_;
  auto state = stop.state_;
  auto attempt = [&](std::size_t i, steady::time_point deadline,
                     std::string& reason) -> std::optional<bool> {
    const auto token = m.token_for(i, deadline);
    const auto options = m.options_until(deadline);
    detail::exchange_deadlines deadlines(options.limits);
    detail::http_connection conn(options);
    conn.open(m.members[i].parsed, deadlines);
    {
      std::lock_guard lock(state->mutex);
      if (state->stopped) return true;
      state->active = &conn;
    }
    struct release {
      stream_stop::state& s;
      ~release() {
        std::lock_guard lock(s.mutex);
        s.active = nullptr;
      }
    } released{*state};
    bool opened = false;
    http_response res;
    try {
      res = conn.stream(m.make_request(m.members[i], path, body, token), deadlines,
                        [&](std::string_view data) {
                          if (!opened && on_open) on_open(m.members[i].url);
                          opened = true;
                          return on_data(data);
                        });
    } catch (const fetch_error& e) {
      if (!opened) throw;  // not open yet: the next member is tried
      // Open and broken: the caller opens another from where it got to.
      std::lock_guard lock(m.mutex);
      m.preferred = (i + 1) % m.members.size();
      throw store_unavailable("store unavailable: " + m.members[i].url + ": " + reason_of(e));
    }
    if (res.status == 200) {
      if (stop.stopped()) return true;
      // The member ended an open stream; the caller opens another, elsewhere.
      std::lock_guard lock(m.mutex);
      m.preferred = (i + 1) % m.members.size();
      throw store_unavailable("store unavailable: " + m.members[i].url + ": the stream ended");
    }
    auto err = parse_error(res.body);
    if (err && err->code == code_unauthenticated) m.forget_token(i);
    if (transient(res.status, err) || (err && err->code == code_unauthenticated)) {
      reason = err ? err->message : std::to_string(res.status) + " " + res.reason;
      return std::nullopt;
    }
    m.refuse(m.members[i], path, res, err);
  };
  try {
    m.with_failover(attempt);
  } catch (const fetch_error& e) {
    if (stop.stopped()) return;
    throw store_unavailable("store unavailable: " + std::string(e.what()));
  }
}

}  // namespace em::etcd
