#include "core/config/config_sections.hpp"

#include <cctype>
#include <string>

#include "core/model/build_version.hpp"
#include "core/util/duration.hpp"

namespace em {
namespace {

constexpr std::int64_t max_feed_size = 256LL * 1024 * 1024;
// A status line and headers need a few hundred bytes; 1 MiB is already absurd.
constexpr std::int64_t min_header_size = 1024;
constexpr std::int64_t max_header_size = 1024 * 1024;
constexpr std::int64_t max_redirects = 10;

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

// Dotted decimal arcs, the first 0-2, at least two, no leading zeros: what
// OpenSSL accepts as a numeric OID (names such as "codeSigning" are refused
// so the configuration never depends on OpenSSL's name table).
bool is_dotted_oid(std::string_view s) {
  if (s.size() < 3 || s.size() > 200) return false;
  if (s[0] < '0' || s[0] > '2' || s[1] != '.') return false;
  std::size_t arcs = 0, pos = 0;
  while (pos <= s.size()) {
    std::size_t end = s.find('.', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view arc = s.substr(pos, end - pos);
    if (arc.empty() || (arc.size() > 1 && arc[0] == '0')) return false;
    for (char c : arc)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    ++arcs;
    pos = end + 1;
  }
  return arcs >= 2;
}

bool has_space_or_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return true;
  return false;
}

// The scheme before "://", lower-cased (schemes are case-insensitive); empty when none.
std::string scheme_of(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return {};
  std::string scheme;
  for (char c : url.substr(0, sep)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return scheme;
}

// What follows "scheme://".
std::string_view after_scheme(std::string_view url) {
  return url.substr(url.find("://") + 3);
}

void check_feed_url(const toml_reader& r, const toml::node& n, const std::string& url) {
  const std::string key = "feed.url";
  if (url.empty()) r.fail(n, key, "must not be empty (https://… or file:///…)");
  if (has_space_or_control(url)) r.fail(n, key, "bad URL '" + url + "': contains a space");
  const std::string scheme = scheme_of(url);
  if (scheme == "http") r.fail(n, key, "http is not allowed for the feed; use https or file");
  if (scheme == "https") {
    auto rest = after_scheme(url);
    if (rest.empty() || rest[0] == '/') r.fail(n, key, "bad URL '" + url + "': no host");
    return;
  }
  if (scheme == "file") {
    auto rest = after_scheme(url);
    if (rest.empty() || rest[0] != '/')
      r.fail(n, key,
             "bad URL '" + url + "': a file URL names an absolute path (file:///path/to/doc.xml)");
    return;
  }
  r.fail(n, key, "unsupported URL '" + url + "' (use https://… or file:///…)");
}

void check_diagnostics_url(const toml_reader& r, const toml::node& n, const std::string& url) {
  const std::string key = "feed.diagnostics_url";
  if (url.empty()) return;  // explicitly none: diagnostics are not sent
  if (has_space_or_control(url)) r.fail(n, key, "bad URL '" + url + "': contains a space");
  const std::string scheme = scheme_of(url);
  if (scheme == "http") r.fail(n, key, "http is not allowed for diagnostics; use https");
  if (scheme != "https") r.fail(n, key, "unsupported URL '" + url + "' (use https://…)");
  auto rest = after_scheme(url);
  if (rest.empty() || rest[0] == '/') r.fail(n, key, "bad URL '" + url + "': no host");
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool is_valid_server_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

void read_server_section(const toml_reader& r, const toml::node& node, server_section& out) {
  const auto& t = r.as_table(node, "server");
  r.refuse_unknown_keys(t, "server", {"name", "product", "build", "role"});
  if (const auto* n = t.get("name")) {
    auto v = r.as_string(*n, "server.name");
    if (!is_valid_server_name(v))
      r.fail(*n, "server.name",
             "bad server name '" + v + "' (1-64 letters, digits, '-', '_' or '.')");
    out.name = v;
  }
  if (const auto* n = t.get("product")) {
    auto v = r.as_string(*n, "server.product");
    // Same shape as a name: it is compared with Range@product of the document.
    if (!is_valid_server_name(v))
      r.fail(*n, "server.product",
             "bad product '" + v + "' (1-64 letters, digits, '-', '_' or '.', e.g. Exchange2019)");
    out.product = v;
  }
  if (const auto* n = t.get("build")) {
    auto v = r.as_string(*n, "server.build");
    if (!build_version::parse(v))
      r.fail(*n, "server.build",
             "bad build number '" + v + "' (up to four dotted numbers, e.g. 15.2.1118.7)");
    out.build = v;
  }
  if (const auto* n = t.get("role")) {
    auto v = r.as_string(*n, "server.role");
    // Edge is a valid answer here; emsd itself refuses to run on an Edge server.
    if (v != "Mailbox" && v != "Edge")
      r.fail(*n, "server.role", "unknown role '" + v + "' (use \"Mailbox\" or \"Edge\")");
    out.role = v;
  }
}

void read_feed_section(const toml_reader& r, const toml::node& node, feed_section& out) {
  const auto& t = r.as_table(node, "feed");
  r.refuse_unknown_keys(
      t, "feed",
      {"url", "ca_file", "diagnostics_url", "timeout", "max_size", "connect_timeout",
       "handshake_timeout", "max_header_size", "max_redirects"});
  if (const auto* n = t.get("url")) {
    auto v = r.as_string(*n, "feed.url");
    check_feed_url(r, *n, v);
    out.url = v;
  }
  if (const auto* n = t.get("ca_file")) out.ca_file = r.as_path(*n, "feed.ca_file");
  if (const auto* n = t.get("diagnostics_url")) {
    auto v = r.as_string(*n, "feed.diagnostics_url");
    check_diagnostics_url(r, *n, v);
    out.diagnostics_url = v;
  }
  if (const auto* n = t.get("timeout")) {
    out.timeout = r.as_duration(*n, "feed.timeout");
    if (out.timeout.count() <= 0) r.fail(*n, "feed.timeout", "must be longer than 0s");
  }
  if (const auto* n = t.get("max_size")) {
    auto v = r.as_integer(*n, "feed.max_size");
    if (v < 1 || v > max_feed_size)
      r.fail(*n, "feed.max_size",
             std::to_string(v) + " is out of range (1 to " + std::to_string(max_feed_size) +
                 " bytes)");
    out.max_size = static_cast<std::uint64_t>(v);
  }
  for (auto [key, field] : {std::pair{"connect_timeout", &out.connect_timeout},
                            std::pair{"handshake_timeout", &out.handshake_timeout}}) {
    if (const auto* n = t.get(key)) {
      const std::string name = std::string("feed.") + key;
      *field = r.as_duration(*n, name);
      if (field->count() <= 0) r.fail(*n, name, "must be longer than 0s");
    }
  }
  if (const auto* n = t.get("max_header_size")) {
    auto v = r.as_integer(*n, "feed.max_header_size");
    if (v < min_header_size || v > max_header_size)
      r.fail(*n, "feed.max_header_size",
             std::to_string(v) + " is out of range (" + std::to_string(min_header_size) + " to " +
                 std::to_string(max_header_size) + " bytes)");
    out.max_header_size = static_cast<std::uint32_t>(v);
  }
  if (const auto* n = t.get("max_redirects")) {
    auto v = r.as_integer(*n, "feed.max_redirects");
    if (v < 0 || v > max_redirects)
      r.fail(*n, "feed.max_redirects",
             std::to_string(v) + " is out of range (0 to " + std::to_string(max_redirects) + ")");
    out.max_redirects = static_cast<unsigned>(v);
  }
}

void read_schedule_section(const toml_reader& r, const toml::node& node, schedule_section& out) {
  const auto& t = r.as_table(node, "schedule");
  r.refuse_unknown_keys(t, "schedule",
                        {"initial_delay", "interval", "jitter", "long_poll", "long_poll_wait"});
  if (const auto* n = t.get("long_poll")) out.long_poll = r.as_bool(*n, "schedule.long_poll");
  if (const auto* n = t.get("long_poll_wait")) {
    out.long_poll_wait = r.as_duration(*n, "schedule.long_poll_wait");
    if (out.long_poll_wait < std::chrono::seconds(1) || out.long_poll_wait > std::chrono::hours(1))
      r.fail(*n, "schedule.long_poll_wait", "must be between 1s and 1h");
  }
  if (const auto* n = t.get("initial_delay"))
    out.initial_delay = r.as_duration(*n, "schedule.initial_delay");
  if (const auto* n = t.get("interval")) {
    out.interval = r.as_duration(*n, "schedule.interval");
    if (out.interval.count() <= 0) r.fail(*n, "schedule.interval", "must be longer than 0s");
  }
  if (const auto* n = t.get("jitter")) {
    out.jitter = r.as_duration(*n, "schedule.jitter");
    // Checked against the interval in effect, which may be the default one.
    if (out.jitter > out.interval)
      r.fail(*n, "schedule.jitter",
             "jitter " + format_duration(out.jitter) + " is longer than the interval " +
                 format_duration(out.interval));
  }
}

void read_trust_section(const toml_reader& r, const toml::node& node, trust_section& out) {
  const auto& t = r.as_table(node, "trust");
  r.refuse_unknown_keys(t, "trust",
                        {"anchors", "issuer", "issuer_key_sha256", "eku", "crl_files", "crl_fetch",
                         "revocation", "require_sequence", "verify_timeout"});
  if (const auto* n = t.get("anchors")) out.anchors = r.as_path_array(*n, "trust.anchors");
  if (const auto* n = t.get("issuer")) {
    auto v = r.as_string(*n, "trust.issuer");
    if (trimmed(v).empty())
      r.fail(*n, "trust.issuer", "must not be empty (leave it out to accept any issuer)");
    out.issuer = v;
  }
  if (const auto* n = t.get("eku")) {
    out.eku = r.as_string_array(*n, "trust.eku");
    const auto& arr = *n->as_array();
    for (std::size_t i = 0; i < out.eku.size(); ++i)
      if (!is_dotted_oid(out.eku[i]))
        r.fail(arr[i], "trust.eku[" + std::to_string(i) + "]",
               "bad OID '" + out.eku[i] + "' (use dotted numbers such as 1.3.6.1.5.5.7.3.3)");
  }
  if (const auto* n = t.get("crl_files")) out.crl_files = r.as_path_array(*n, "trust.crl_files");
  if (const auto* n = t.get("crl_fetch")) out.crl_fetch = r.as_bool(*n, "trust.crl_fetch");
  if (const auto* n = t.get("revocation")) {
    auto v = r.as_string(*n, "trust.revocation");
    auto mode = parse_revocation_mode(v);
    if (!mode)
      r.fail(*n, "trust.revocation",
             "unknown mode '" + v + "' (use \"require\", \"best-effort\" or \"off\")");
    out.revocation = *mode;
  }
  if (const auto* n = t.get("require_sequence"))
    out.require_sequence = r.as_bool(*n, "trust.require_sequence");
  if (const auto* n = t.get("issuer_key_sha256")) {
    auto v = r.as_string(*n, "trust.issuer_key_sha256");
    out.issuer_key_sha256 = normalize_key_pin(v);
    if (!out.issuer_key_sha256)
      r.fail(*n, "trust.issuer_key_sha256",
             "'" + v + "' is not a SHA-256 in hex (64 hex digits, colons between bytes allowed)");
  }
  if (const auto* n = t.get("verify_timeout")) {
    out.verify_timeout = r.as_duration(*n, "trust.verify_timeout");
    if (out.verify_timeout.count() <= 0)
      r.fail(*n, "trust.verify_timeout", "must be longer than 0s");
  }
}

void read_log_section(const toml_reader& r, const toml::node& node, log_section& out) {
  const auto& t = r.as_table(node, "log");
  r.refuse_unknown_keys(t, "log", {"dir", "level"});
  if (const auto* n = t.get("dir")) out.dir = r.as_path(*n, "log.dir");
  if (const auto* n = t.get("level")) {
    auto v = r.as_string(*n, "log.level");
    if (v != "debug" && v != "info" && v != "warning" && v != "error")
      r.fail(*n, "log.level", "unknown level '" + v + "' (use debug, info, warning or error)");
    out.level = v;
  }
}

}  // namespace em
