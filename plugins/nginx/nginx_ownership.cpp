#include "plugins/nginx/nginx_ownership.hpp"

#include <nlohmann/json.hpp>

#include "plugins/common/plugin_error.hpp"

namespace emnginx {
namespace {

using json = nlohmann::json;

json files_json(const file_records& files) {
  json out = json::object();
  for (const auto& [path, r] : files)
    out[path] = {{"before", r.before ? json(*r.before) : json(nullptr)}, {"written", r.written}};
  return out;
}

file_records files_of(const json& j) {
  file_records out;
  for (const auto& [path, r] : j.items()) {
    file_record f;
    if (!r.at("before").is_null()) f.before = r.at("before").get<std::string>();
    f.written = r.at("written").get<std::string>();
    out[path] = std::move(f);
  }
  return out;
}

std::optional<json> load(emservice::host_api& host, const std::string& key) {
  auto text = host.load_value(key);
  if (!text) return std::nullopt;
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    throw emplugin::plugin_error("the plugin's record '" + key + "' is unreadable (" + e.what() +
                                 "); nothing was changed");
  }
}

std::string folder_key(const std::filesystem::path& folder) {
  return "folder " + folder.string();
}

void save(emservice::host_api& host, const std::string& key, const json& value) {
  std::string text;
  try {
    text = value.dump();
  } catch (const json::exception&) {
    throw emplugin::plugin_error("cannot record what the files held before (" + key +
                                 "): a file is not UTF-8 text; nothing was changed");
  }
  host.save_value(key, text);
}

}  // namespace

void record(file_records& files, const std::filesystem::path& path,
            const std::optional<std::string>& before, const std::string& written) {
  auto [it, added] = files.emplace(path.string(), file_record{before, written});
  if (!added) it->second.written = written;
}

file_records nginx_ownership::action(const std::string& id) const {
  auto j = load(host_, "action " + id);
  return j ? files_of(j->at("files")) : file_records{};
}

void nginx_ownership::save_action(const std::string& id, const file_records& files) {
  if (files.empty())
    host_.erase_value("action " + id);
  else
    save(host_, "action " + id, json{{"files", files_json(files)}});
}

folder_record nginx_ownership::folder(const std::filesystem::path& folder) const {
  folder_record out;
  if (auto j = load(host_, folder_key(folder))) {
    out.actions = j->at("actions").get<std::set<std::string>>();
    out.files = files_of(j->at("files"));
  }
  return out;
}

void nginx_ownership::save_folder(const std::filesystem::path& folder,
                                  const folder_record& record) {
  if (record.actions.empty() && record.files.empty())
    host_.erase_value(folder_key(folder));
  else
    save(host_, folder_key(folder),
         json{{"actions", record.actions}, {"files", files_json(record.files)}});
}

}  // namespace emnginx
