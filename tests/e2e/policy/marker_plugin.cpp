// A test plugin for end-to-end policy tests: action type TouchFile with
// <Value><File name="x"/></Value> creates <dir>/<name> ([plugins.marker] dir),
// so "in effect" is a real file an administrator can delete by hand. Apply
// also keeps the value <action ID> = "applied" through the host, so a test
// can see plugin values reach the service's store (SQLite or etcd).
#include <emservice/plugin.hpp>

#include <sys/stat.h>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

// The name attribute of <File name="…"/>; empty when the Value is anything else.
std::string file_name(const std::string& value) {
  const std::string open = "<File name=\"";
  if (value.rfind(open, 0) != 0) return {};
  auto end = value.find('"', open.size());
  if (end == std::string::npos || value.substr(end) != "\"/>") return {};
  auto name = value.substr(open.size(), end - open.size());
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') return {};
  return name;
}

class marker_applier final : public emservice::applier {
 public:
  marker_applier(std::string dir, emservice::host_api* host) : dir_(std::move(dir)), host_(host) {}

  emservice::outcome validate(const emservice::action& a) override {
    if (file_name(a.value_xml).empty())
      return emservice::outcome::failure("Value must be <File name=\"…\"/>, got " + a.value_xml);
    return emservice::outcome::success();
  }
  emservice::check_result check(const emservice::action& a) override {
    struct stat st {};
    bool there = ::stat(path(a).c_str(), &st) == 0;
    return {there ? emservice::check_state::in_effect : emservice::check_state::not_in_effect, {}};
  }
  emservice::outcome apply(const emservice::action& a) override {
    std::ofstream out(path(a));
    out << a.id << "\n";
    if (!out) return emservice::outcome::failure("cannot write " + path(a));
    host_->save_value(a.id, "applied");
    return emservice::outcome::success("wrote " + path(a));
  }
  emservice::outcome rollback(const emservice::action& a) override {
    std::remove(path(a).c_str());
    host_->erase_value(a.id);
    return emservice::outcome::success("removed " + path(a));
  }

 private:
  std::string path(const emservice::action& a) const { return dir_ + "/" + file_name(a.value_xml); }
  std::string dir_;
  emservice::host_api* host_;
};

const char* const types[] = {"TouchFile", nullptr};

const emservice::setting_spec settings[] = {
    {"dir", emservice::setting_type::string, nullptr, "the folder of the marker files"},
    {nullptr, emservice::setting_type::string, nullptr, nullptr}};

emservice::applier* create(const emservice::host_context& c, std::string& error) {
  if (!c.settings.has("dir")) {
    error = "[plugins.marker] dir is required";
    return nullptr;
  }
  return new marker_applier(c.settings.get_string("dir"), c.host);
}

void destroy(emservice::applier* a) {
  delete a;
}

const emservice::plugin_descriptor descriptor = {
    EMSERVICE_PLUGIN_DESCRIPTOR_HEADER, "marker", types, &create, &destroy, settings};

}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return &descriptor;
}
