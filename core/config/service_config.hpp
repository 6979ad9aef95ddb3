#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace em {

// The operator's configuration file (SPEC 9), fully validated. Relative paths
// have already been resolved against the configuration file's folder.
struct server_section {
  std::string name;  // default: the host name
  std::string product = "Exchange2019";
  std::string build;  // validated as a build number when set
  std::string role = "Mailbox";
};

struct feed_section {
  std::string url;  // https://… or file://…
  std::optional<std::filesystem::path> ca_file;
  std::string diagnostics_url;
  std::chrono::milliseconds timeout{30'000};  // the whole fetch, from DNS to the last byte
  std::uint64_t max_size = 1024 * 1024;
  std::chrono::milliseconds connect_timeout{10'000};    // DNS and TCP (and a proxy's CONNECT)
  std::chrono::milliseconds handshake_timeout{10'000};  // TLS handshake
  std::uint32_t max_header_size = 64 * 1024;            // status line and header fields
  unsigned max_redirects = 0;                           // never to http://
};

struct schedule_section {
  std::chrono::milliseconds initial_delay{10 * 60'000};
  std::chrono::milliseconds interval{60 * 60'000};
  std::chrono::milliseconds jitter{0};
  // SPEC 12: keep a long-poll request open on the feed, so a new document is
  // checked as soon as the feed has it (the schedule stays).
  bool long_poll = false;
  std::chrono::milliseconds long_poll_wait{5 * 60'000};  // what each request asks for
};

enum class revocation_mode { require, best_effort, off };

struct trust_section {
  std::vector<std::filesystem::path> anchors;
  std::optional<std::string> issuer;
  std::optional<std::string> issuer_key_sha256;  // 64 hex digits, lower case
  std::vector<std::string> eku;
  std::vector<std::filesystem::path> crl_files;
  bool crl_fetch = false;
  revocation_mode revocation = revocation_mode::require;
  bool require_sequence = true;
  // The longest the verifier stage of a cycle may take before the cycle is abandoned.
  std::chrono::milliseconds verify_timeout{10'000};
};

// [store.etcd] (SPEC 11): an organisation's state in etcd, reached through
// its v3 JSON gateway.
struct etcd_section {
  std::vector<std::string> endpoints;  // https://host:port (http:// to a loopback address only)
  std::string prefix;                  // "/emservice/contoso/": one organisation per prefix
  std::optional<std::filesystem::path> ca_file;    // trust for the members' TLS certificates
  std::optional<std::filesystem::path> cert_file;  // client certificate, with key_file
  std::optional<std::filesystem::path> key_file;
  std::string user;  // etcd's own auth, with password_file
  std::optional<std::filesystem::path> password_file;
  std::chrono::milliseconds timeout{5'000};  // one store operation, failover included
};

struct store_section {
  std::string backend = "sqlite";  // "sqlite" or "etcd"
  // The SQLite file; with etcd, its folder still holds this host's local
  // files (the instance lock, the CRL cache).
  std::filesystem::path path = "/var/lib/emservice/state.db";
  std::optional<etcd_section> etcd;  // also read with backend "sqlite", for emctl store copy
};

struct log_section {
  std::filesystem::path dir = "/var/log/emservice";
  std::string level = "info";  // debug | info | warning | error
};

// One value of a plugin's [plugins.<name>] table, kept as the file wrote it
// (TOML text such as "'60s'" or "[ '/usr/bin/x', 'stop' ]") with its place in
// the file. Which keys a plugin takes, and of which type, is known only once
// it is loaded: the plugin loader checks and converts these against its
// declared settings, and its errors name the file, line and key.
struct plugin_setting {
  std::string toml;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};
using plugin_settings = std::map<std::string, plugin_setting>;

struct plugins_section {
  std::filesystem::path dir = "/usr/lib/emservice/plugins";
  // The longest a plugin may take for one call before its worker is stopped
  // and the action is Failed.
  std::chrono::milliseconds call_timeout{60'000};
  std::map<std::string, plugin_settings> tables;  // key: plugin name
  // [plugins] enable (SPEC 13): the plugin names this host loads; unset, every
  // plugin found. Two enabled plugins claiming one action type stop the start.
  std::optional<std::vector<std::string>> enable;
};

struct iis_section {
  std::optional<std::filesystem::path> application_host;
  std::map<std::string, std::string> variables;
  // How many of its own backups the service keeps per edited file (SPEC 10).
  int backups = 5;
};

// The local control channel of emctl check-now (a UNIX socket) and who may use it.
struct control_section {
  std::filesystem::path socket;  // default: /run/emservice/<server.name>.sock
  std::string admin_group;       // besides root; empty: root only
};

// [notify] (SPEC 14): who hears of a cycle that applied, failed or rolled
// back something, and of emctl rollback. Both may be set; neither: nobody.
struct notify_section {
  std::vector<std::string> command;  // argv, an absolute program path first; JSON on its stdin
  std::string webhook;               // https:// URL the same JSON is POSTed to
  std::optional<std::filesystem::path> ca_file;  // the webhook's TLS trust; default: system store
  std::chrono::milliseconds timeout{30'000};     // each of the command and the POST
};

struct service_config {
  std::filesystem::path source;  // the file this was read from (empty for defaults)
  server_section server;
  feed_section feed;
  schedule_section schedule;
  trust_section trust;
  store_section store;
  log_section log;
  plugins_section plugins;
  iis_section iis;
  control_section control;
  notify_section notify;
};

const char* to_string(revocation_mode m);
std::optional<revocation_mode> parse_revocation_mode(const std::string& text);

// A SHA-256 pin (trust.issuer_key_sha256) as lower-case hex without
// separators; nullopt when `text` is not 64 hex digits (colons between bytes
// allowed, as openssl prints digests).
std::optional<std::string> normalize_key_pin(const std::string& text);

}  // namespace em
