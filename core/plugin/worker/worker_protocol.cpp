#include "core/plugin/worker/worker_protocol.hpp"

#include <nlohmann/json.hpp>

#include "core/util/duration.hpp"
#include "core/util/error.hpp"

namespace em::worker {
namespace {

using json = nlohmann::json;

constexpr const char* level_names[] = {"debug", "information", "warning", "error"};
constexpr const char* state_names[] = {"in_effect", "not_in_effect", "error"};

// Every accessor checks presence, type and range, so a decoded message holds
// only values its reader can use as they are.
const json& field(const json& j, const char* key) {
  if (!j.is_object()) throw error("expected an object");
  auto it = j.find(key);
  if (it == j.end()) throw error(std::string("field '") + key + "' is missing");
  return *it;
}

std::string text(const json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_string()) throw error(std::string("field '") + key + "' is not a string");
  return v.get<std::string>();
}

std::string nonempty(const json& j, const char* key) {
  auto s = text(j, key);
  if (s.empty()) throw error(std::string("field '") + key + "' is empty");
  return s;
}

bool flag(const json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_boolean()) throw error(std::string("field '") + key + "' is not a boolean");
  return v.get<bool>();
}

std::uint64_t number(const json& j, const char* key, std::uint64_t min, std::uint64_t max) {
  const auto& v = field(j, key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    throw error(std::string("field '") + key + "' is not a whole number");
  auto n = v.get<std::uint64_t>();
  if (n < min || n > max)
    throw error(std::string("field '") + key + "' is " + std::to_string(n) + ", outside " +
                std::to_string(min) + ".." + std::to_string(max));
  return n;
}

const json& array(const json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_array()) throw error(std::string("field '") + key + "' is not an array");
  return v;
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const auto& s : array(j, key)) {
    if (!s.is_string()) throw error(std::string("field '") + key + "' holds a non-string");
    out.push_back(s.get<std::string>());
  }
  return out;
}

template <std::size_t N>
std::size_t index_of(const json& j, const char* key, const char* const (&names)[N]) {
  auto s = text(j, key);
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i]) return i;
  throw error(std::string("field '") + key + "' has an unknown value '" + s + "'");
}

void expect_type(const json& j, const char* type) {
  if (text(j, "type") != type)
    throw error("expected a '" + std::string(type) + "' message, got '" + text(j, "type") + "'");
}

void expect_protocol(const json& j) {
  auto v = number(j, "protocol", 0, 1'000'000);
  if (v != static_cast<std::uint64_t>(protocol_version))
    throw error("protocol version " + std::to_string(v) + " (this side speaks " +
                std::to_string(protocol_version) + ")");
}

template <class F>
auto decoded(const std::string& what, const std::string& text, F&& f) -> decltype(f(json{})) {
  try {
    return f(json::parse(text));
  } catch (const json::exception& e) {
    throw error("malformed " + what + " message of the plugin worker protocol: " + e.what());
  } catch (const error& e) {
    throw error("malformed " + what + " message of the plugin worker protocol: " + e.what());
  }
}

std::string dump(const json& j) {
  // Plugins may log bytes that are not UTF-8: replaced, never a throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json action_json(const emservice::action& a) {
  return {{"id", a.id},         {"type", a.type}, {"scope", a.scope},
          {"target", a.target}, {"desc", a.desc}, {"value", a.value_xml}};
}

emservice::action action_of(const json& j) {
  return {nonempty(j, "id"), nonempty(j, "type"), text(j, "scope"),
          text(j, "target"), text(j, "desc"),     text(j, "value")};
}

// A level out of range (a plugin can pass any int) is logged as information.
const char* level_name(emservice::log_level level) {
  auto i = static_cast<int>(level);
  return i >= 0 && i < 4 ? level_names[i] : "information";
}

json logs_json(const std::vector<log_line>& lines) {
  json out = json::array();
  for (const auto& l : lines)
    out.push_back({{"plugin", l.plugin}, {"level", level_name(l.level)}, {"text", l.text}});
  return out;
}

std::vector<log_line> logs_of(const json& j) {
  std::vector<log_line> out;
  const auto& lines = array(j, "logs");
  if (lines.size() > max_log_lines + 1) throw error("more log lines than a result may carry");
  for (const auto& l : lines)
    out.push_back({text(l, "plugin"),
                   static_cast<emservice::log_level>(index_of(l, "level", level_names)),
                   text(l, "text")});
  return out;
}

json settings_json(const std::vector<setting_info>& settings) {
  json out = json::array();
  for (const auto& s : settings) {
    json one = {{"key", s.key}, {"type", to_string(s.type)}, {"description", s.description}};
    if (s.default_value) one["default"] = *s.default_value;
    out.push_back(std::move(one));
  }
  return out;
}

std::vector<setting_info> settings_of(const json& j) {
  std::vector<setting_info> out;
  for (const auto& s : array(j, "settings")) {
    auto type = parse_setting_type(text(s, "type"));
    if (!type) throw error("unknown setting type '" + text(s, "type") + "'");
    setting_info info{nonempty(s, "key"), *type, std::nullopt, text(s, "description")};
    if (s.contains("default")) info.default_value = text(s, "default");
    out.push_back(std::move(info));
  }
  return out;
}

json plugins_json(const std::vector<plugin_info>& list) {
  json out = json::array();
  for (const auto& p : list)
    out.push_back({{"name", p.name},
                   {"file", p.file.string()},
                   {"types", p.action_types},
                   {"abi_major", p.abi_major},
                   {"abi_minor", p.abi_minor},
                   {"settings", settings_json(p.settings)},
                   {"fingerprint", p.fingerprint}});
  return out;
}

std::vector<plugin_info> plugins_of(const json& j, const char* key) {
  std::vector<plugin_info> out;
  for (const auto& p : array(j, key))
    out.push_back({nonempty(p, "name"), nonempty(p, "file"), strings(p, "types"),
                   static_cast<std::uint32_t>(number(p, "abi_major", 0, UINT32_MAX)),
                   static_cast<std::uint32_t>(number(p, "abi_minor", 0, UINT32_MAX)),
                   settings_of(p), text(p, "fingerprint")});
  return out;
}

json declared_json(const plugin_problem& p) {
  return {
      {"file", p.file.string()}, {"reason", p.reason}, {"name", p.name}, {"types", p.action_types}};
}

plugin_problem declared_of(const json& j) {
  return {nonempty(j, "file"), text(j, "reason"), text(j, "name"), strings(j, "types")};
}

json plugins_section_json(const plugins_section& p) {
  json tables = json::object();
  for (const auto& [plugin, table] : p.tables) {
    json t = json::object();
    for (const auto& [key, v] : table)
      t[key] = {{"toml", v.toml}, {"line", v.line}, {"column", v.column}};
    tables[plugin] = std::move(t);
  }
  return {{"dir", p.dir.string()},
          {"call_timeout_ms", p.call_timeout.count()},
          {"tables", std::move(tables)}};
}

plugins_section plugins_section_of(const json& j) {
  plugins_section p;
  p.dir = nonempty(j, "dir");
  p.call_timeout = std::chrono::milliseconds(
      number(j, "call_timeout_ms", 1, static_cast<std::uint64_t>(max_setting_duration.count())));
  const auto& tables = field(j, "tables");
  if (!tables.is_object()) throw error("field 'tables' is not an object");
  for (const auto& [plugin, table] : tables.items()) {
    if (!table.is_object()) throw error("table of plugin '" + plugin + "' is not an object");
    for (const auto& [key, v] : table.items())
      p.tables[plugin][key] = {text(v, "toml"),
                               static_cast<std::uint32_t>(number(v, "line", 0, UINT32_MAX)),
                               static_cast<std::uint32_t>(number(v, "column", 0, UINT32_MAX))};
  }
  return p;
}

json optional_path(const std::optional<std::filesystem::path>& p) {
  return p ? json(p->string()) : json(nullptr);
}

std::optional<std::filesystem::path> optional_path_of(const json& j, const char* key) {
  if (field(j, key).is_null()) return std::nullopt;
  return std::filesystem::path(nonempty(j, key));
}

json etcd_json(const etcd_section& e) {
  return {{"endpoints", e.endpoints},
          {"prefix", e.prefix},
          {"ca_file", optional_path(e.ca_file)},
          {"cert_file", optional_path(e.cert_file)},
          {"key_file", optional_path(e.key_file)},
          {"user", e.user},
          {"password_file", optional_path(e.password_file)},
          {"timeout_ms", e.timeout.count()}};
}

// The configuration loader checked these; here only that they are what they were.
etcd_section etcd_of(const json& j) {
  etcd_section e;
  e.endpoints = strings(j, "endpoints");
  if (e.endpoints.empty()) throw error("field 'endpoints' is empty");
  e.prefix = nonempty(j, "prefix");
  e.ca_file = optional_path_of(j, "ca_file");
  e.cert_file = optional_path_of(j, "cert_file");
  e.key_file = optional_path_of(j, "key_file");
  e.user = text(j, "user");
  e.password_file = optional_path_of(j, "password_file");
  e.timeout = std::chrono::milliseconds(number(j, "timeout_ms", 1, 300'000));
  return e;
}

}  // namespace

std::string encode(const setup& m) {
  json skip = json::array();
  for (const auto& f : m.skip)
    skip.push_back(f.string());
  json plugins = plugins_section_json(m.plugins);
  if (m.plugins.enable) plugins["enable"] = *m.plugins.enable;
  json iis = {{"variables", m.iis.variables}, {"backups", m.iis.backups}};
  if (m.iis.application_host) iis["application_host"] = m.iis.application_host->string();
  return dump({{"type", "setup"},
               {"protocol", protocol_version},
               {"config_file", m.config_file},
               {"server_name", m.server_name},
               {"store_path", m.store_path.string()},
               {"store_etcd", m.store_etcd ? etcd_json(*m.store_etcd) : json(nullptr)},
               {"plugins", std::move(plugins)},
               {"iis", std::move(iis)},
               {"skip", std::move(skip)},
               {"skip_names", m.skip_names}});
}

std::string encode(const loading& m) {
  return dump({{"type", "loading"}, {"file", m.file.string()}});
}

std::string encode_declared(const plugin_problem& declared) {
  auto j = declared_json(declared);
  j["type"] = "declared";
  return dump(j);
}

std::string encode(const hello& m) {
  json problems = json::array();
  for (const auto& p : m.problems)
    problems.push_back(declared_json(p));
  return dump({{"type", "hello"},
               {"protocol", protocol_version},
               {"plugins", plugins_json(m.plugins)},
               {"problems", std::move(problems)},
               {"disabled", plugins_json(m.disabled)},
               {"conflicts", m.conflicts},
               {"logs", logs_json(m.logs)}});
}

std::string encode(const call& m) {
  return dump({{"type", "call"},
               {"id", m.id},
               {"call", to_string(m.what)},
               {"action", action_json(m.action)}});
}

std::string encode(const result& m) {
  return dump({{"type", "result"},
               {"id", m.id},
               {"ok", m.outcome.ok},
               {"state", state_names[m.outcome.ok ? static_cast<int>(m.outcome.state) : 2]},
               {"message", m.outcome.message},
               {"logs", logs_json(m.logs)}});
}

setup decode_setup(const std::string& text_in) {
  return decoded("setup", text_in, [](const json& j) {
    expect_type(j, "setup");
    expect_protocol(j);
    setup m;
    m.config_file = text(j, "config_file");
    m.server_name = nonempty(j, "server_name");
    m.store_path = text(j, "store_path");
    if (!field(j, "store_etcd").is_null()) m.store_etcd = etcd_of(field(j, "store_etcd"));
    m.plugins = plugins_section_of(field(j, "plugins"));
    const auto& iis = field(j, "iis");
    if (iis.contains("application_host"))
      m.iis.application_host = nonempty(iis, "application_host");
    const auto& vars = field(iis, "variables");
    if (!vars.is_object()) throw error("field 'variables' is not an object");
    for (const auto& [k, v] : vars.items()) {
      if (!v.is_string()) throw error("iis variable '" + k + "' is not a string");
      m.iis.variables[k] = v.get<std::string>();
    }
    m.iis.backups = static_cast<int>(number(iis, "backups", 1, 1000));
    for (const auto& f : strings(j, "skip"))
      m.skip.emplace_back(f);
    m.skip_names = strings(j, "skip_names");
    if (field(j, "plugins").contains("enable"))
      m.plugins.enable = strings(field(j, "plugins"), "enable");
    return m;
  });
}

load_progress decode_progress(const std::string& text_in) {
  return decoded("loading", text_in, [](const json& j) {
    load_progress m;
    const auto type = text(j, "type");
    if (type == "loading") {
      m.what = load_progress::kind::loading;
      m.file.file = nonempty(j, "file");
    } else if (type == "declared") {
      m.what = load_progress::kind::declared;
      m.declared = declared_of(j);
    } else if (type == "hello") {
      expect_protocol(j);
      m.what = load_progress::kind::hello;
      m.done.plugins = plugins_of(j, "plugins");
      for (const auto& p : array(j, "problems"))
        m.done.problems.push_back(declared_of(p));
      m.done.disabled = plugins_of(j, "disabled");
      m.done.conflicts = strings(j, "conflicts");
      m.done.logs = logs_of(j);
    } else {
      throw error("unexpected '" + type + "' message while the plugins load");
    }
    return m;
  });
}

call decode_call(const std::string& text_in) {
  return decoded("call", text_in, [](const json& j) {
    expect_type(j, "call");
    auto what = parse_call_type(text(j, "call"));
    if (!what) throw error("unknown call '" + text(j, "call") + "'");
    return call{number(j, "id", 1, UINT64_MAX), *what, action_of(field(j, "action"))};
  });
}

result decode_result(const std::string& text_in) {
  return decoded("result", text_in, [](const json& j) {
    expect_type(j, "result");
    result m;
    m.id = number(j, "id", 1, UINT64_MAX);
    m.outcome.ok = flag(j, "ok");
    m.outcome.state = static_cast<emservice::check_state>(index_of(j, "state", state_names));
    m.outcome.message = text(j, "message");
    m.logs = logs_of(j);
    return m;
  });
}

void cap_log_lines(std::vector<log_line>& lines) {
  if (lines.size() <= max_log_lines) return;
  const auto dropped = lines.size() - max_log_lines;
  const std::string plugin = lines[max_log_lines].plugin;
  lines.resize(max_log_lines);
  lines.push_back({plugin, emservice::log_level::warning,
                   std::to_string(dropped) + " more log line(s) of this call were dropped"});
}

}  // namespace em::worker
