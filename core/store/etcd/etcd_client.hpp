#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/service_config.hpp"
#include "core/store/etcd/etcd_types.hpp"
#include "core/util/error.hpp"

namespace em::etcd {

struct client_settings {
  std::vector<std::string> endpoints;
  std::optional<std::filesystem::path> ca_file;
  std::optional<std::filesystem::path> cert_file;
  std::optional<std::filesystem::path> key_file;
  std::string user;
  std::string password;
  std::chrono::milliseconds timeout{5'000};

  // From [store.etcd]; reads the password file, which must be a regular
  // file that others cannot read. Throws em::invalid_input naming it.
  static client_settings from_config(const etcd_section& section);
};

// An answer etcd gave, refusing the request (permission denied, bad
// credentials, a request too large …): trying another member would not help.
// what() says what was refused and why.
class refused : public store_error {
 public:
  refused(int grpc_code, const std::string& what) : store_error(what), code_(grpc_code) {}
  int code() const { return code_; }
  bool permission_denied() const { return code_ == 7; }

 private:
  int code_;
};

// Ends a stream() from another thread.
class stream_stop {
 public:
  stream_stop();
  ~stream_stop();
  void stop();  // thread-safe; the stream in progress (and any later one) returns
  bool stopped() const;

 private:
  friend class client;
  struct state;
  std::shared_ptr<state> state_;
};

// etcd's v3 API through the JSON gateway each member serves at /v3/, over
// the project's HTTP client (Boost.Beast, TLS with client certificates).
//
// Failover: a request goes to the member that answered last; when it cannot
// be reached, or answers that it has no leader, the next one is tried, round
// the list, with short pauses, until settings.timeout has passed. Only then
// does a call throw em::store_unavailable, "store unavailable: <endpoint>:
// <reason>" for each endpoint tried. etcd's refusals throw etcd::refused;
// a malformed answer, em::store_error.
//
// Authentication: with a user, a token is obtained from each member (etcd's
// simple tokens are per member) and obtained again when it expires.
//
// Connections are kept open between calls (a small pool per member), so a
// burst of calls does not pay a TLS handshake each. Thread-safe.
class client {
 public:
  explicit client(client_settings settings);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  range_result range(const range_request& request);
  // Every key under `prefix`, read in pages of `page` keys, all at the
  // revision of the first page so the whole is one consistent picture.
  // `at_revision` reads as of an earlier revision (another read's), 0 the latest.
  range_result range_prefix(const std::string& prefix, std::int64_t at_revision = 0,
                            std::int64_t page = 500);
  txn_result txn(const txn_request& request);

  std::int64_t grant_lease(std::chrono::seconds ttl);
  // The seconds the lease has left once renewed; 0 when it expired already.
  std::int64_t keep_alive(std::int64_t lease);
  void revoke_lease(std::int64_t lease);

  // A streaming call (a watch): sends `body` to `path` on a member, with
  // failover as above until the stream is open, then hands what arrives to
  // `on_data` until it returns false, the member ends the stream, or `stop`
  // is stopped. `on_open` is told which endpoint answered. Returns normally
  // when stopped or when on_data said so; throws when the stream broke.
  void stream(const std::string& path, const std::string& body,
              const std::function<bool(std::string_view)>& on_data, stream_stop& stop,
              const std::function<void(const std::string& endpoint)>& on_open = {});

  const client_settings& settings() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace em::etcd
