#include "core/plugin/worker/worker_messages.hpp"

#include <nlohmann/json.hpp>

#include "core/util/error.hpp"

namespace em::worker {
namespace {

using json = nlohmann::json;

template <class F>
auto decoded(const std::string& text, const char* what, F&& f) -> decltype(f(json{})) {
  try {
    return f(json::parse(text));
  } catch (const json::exception& e) {
    throw error(std::string("malformed ") + what + " from the plugin worker: " + e.what());
  }
}

json action_json(const emservice::action& a) {
  return {{"id", a.id},         {"type", a.type}, {"scope", a.scope},
          {"target", a.target}, {"desc", a.desc}, {"value", a.value_xml}};
}

emservice::action action_of(const json& j) {
  return {j.at("id"), j.at("type"), j.at("scope"), j.at("target"), j.at("desc"), j.at("value")};
}

json plugins_json(const std::vector<plugin_info>& list) {
  json out = json::array();
  for (const auto& p : list)
    out.push_back({{"name", p.name}, {"file", p.file.string()}, {"types", p.action_types}});
  return out;
}

std::vector<plugin_info> plugins_of(const json& list) {
  std::vector<plugin_info> out;
  for (const auto& p : list)
    out.push_back(
        {p.at("name"), std::filesystem::path(p.at("file").get<std::string>()), p.at("types")});
  return out;
}

}  // namespace

std::string encode(const hello& m) {
  json problems = json::array();
  for (const auto& p : m.problems)
    problems.push_back({{"file", p.file.string()}, {"reason", p.reason}});
  return json{{"plugins", plugins_json(m.plugins)},
              {"problems", problems},
              {"disabled", plugins_json(m.disabled)},
              {"conflicts", m.conflicts}}
      .dump();
}

std::string encode(const request& m) {
  return json{{"id", m.id}, {"call", m.call}, {"action", action_json(m.action)}}.dump();
}

std::string encode(const response& m) {
  json logs = json::array();
  for (const auto& l : m.logs)
    logs.push_back({{"plugin", l.plugin}, {"level", static_cast<int>(l.level)}, {"text", l.text}});
  return json{{"id", m.id},
              {"ok", m.ok},
              {"state", static_cast<int>(m.state)},
              {"message", m.message},
              {"logs", logs}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

hello decode_hello(const std::string& text) {
  return decoded(text, "hello", [](const json& j) {
    hello m;
    m.plugins = plugins_of(j.at("plugins"));
    m.disabled = plugins_of(j.value("disabled", json::array()));
    m.conflicts = j.value("conflicts", std::vector<std::string>{});
    for (const auto& p : j.at("problems"))
      m.problems.push_back(
          {std::filesystem::path(p.at("file").get<std::string>()), p.at("reason")});
    return m;
  });
}

request decode_request(const std::string& text) {
  return decoded(text, "request", [](const json& j) {
    return request{j.at("id"), j.at("call"), action_of(j.at("action"))};
  });
}

response decode_response(const std::string& text) {
  return decoded(text, "response", [](const json& j) {
    response m;
    m.id = j.at("id");
    m.ok = j.at("ok");
    int state = j.at("state");
    if (state < 0 || state > 2)
      throw error("plugin worker sent check state " + std::to_string(state));
    m.state = static_cast<emservice::check_state>(state);
    m.message = j.at("message");
    for (const auto& l : j.at("logs")) {
      int level = l.at("level");
      m.logs.push_back(
          {l.at("plugin"), static_cast<emservice::log_level>(level & 3), l.at("text")});
    }
    return m;
  });
}

}  // namespace em::worker
