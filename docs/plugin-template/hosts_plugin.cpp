// The `hosts` plugin: action type HostsEntry sinkholes a host name in a hosts
// file, e.g. a command-and-control domain named in an advisory:
//
//   <Action type="HostsEntry" scope="Server" desc="Sinkhole the C2 domain">
//     <Value><HostsEntry host="c2.evil.example" address="0.0.0.0"/></Value>
//   </Action>
//
// Setting: [plugins.hosts] file = "/etc/hosts" (the default). The host checks
// it against the declaration below before create() runs: a key the plugin
// does not declare, or a value that is not a string, never reaches it.
// It writes "0.0.0.0 c2.evil.example # EEMS <action id>" and nothing else.
#include <emservice/plugin.hpp>

#include <regex>
#include <sstream>
#include <string>

namespace {

struct entry {
  std::string host;
  std::string address;
};

// The Value is one element. It reaches the plugin as canonical XML (the
// verified bytes), so attributes come in any order: look them up by name.
// A real plugin may use any XML parser it likes.
bool parse(const std::string& value, entry& out, std::string& why) {
  static const std::regex element(R"re(\s*<HostsEntry((?:\s+[A-Za-z]+="[^"<&]*")*)\s*/>\s*)re");
  static const std::regex attribute(R"re(([A-Za-z]+)="([^"]*)")re");
  static const std::regex host_name(R"re([A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)re");
  static const std::regex address(R"re([0-9.]{7,15}|[0-9A-Fa-f:]{2,39})re");
  std::smatch m;
  why = "Value must be <HostsEntry host=\"name\" address=\"ip\"/>, got " + value;
  if (!std::regex_match(value, m, element)) return false;
  const std::string attributes = m[1].str();
  out = {};
  for (std::sregex_iterator it(attributes.begin(), attributes.end(), attribute), end; it != end;
       ++it) {
    std::string name = (*it)[1].str(), text = (*it)[2].str();
    if (name == "host" && out.host.empty() && std::regex_match(text, host_name))
      out.host = text;
    else if (name == "address" && out.address.empty() && std::regex_match(text, address))
      out.address = text;
    else
      return false;
  }
  return !out.host.empty() && !out.address.empty();
}

std::string line_for(const entry& e, const emservice::action& a) {
  return e.address + " " + e.host + " # EEMS " + a.id;
}

class hosts_applier final : public emservice::applier {
 public:
  hosts_applier(emservice::host_api& host, std::string file)
      : host_(host), file_(std::move(file)) {}

  emservice::outcome validate(const emservice::action& a) override {
    entry e;
    std::string why;
    return parse(a.value_xml, e, why) ? emservice::outcome::success()
                                      : emservice::outcome::failure(why);
  }

  emservice::check_result check(const emservice::action& a) override {
    entry e;
    std::string why;
    if (!parse(a.value_xml, e, why)) return {emservice::check_state::error, why};
    bool there = has_line(host_.read_file(file_), line_for(e, a));
    return {there ? emservice::check_state::in_effect : emservice::check_state::not_in_effect, {}};
  }

  emservice::outcome apply(const emservice::action& a) override {
    entry e;
    std::string why;
    if (!parse(a.value_xml, e, why)) return emservice::outcome::failure(why);
    // Replace an older line of the same action, never add a second one.
    std::string text = without_action(host_.read_file(file_), a.id);
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += line_for(e, a) + "\n";
    host_.write_file_atomic(file_, text);
    host_.log(emservice::log_level::information, "sinkholed " + e.host + " in " + file_);
    return emservice::outcome::success("sinkholed " + e.host);
  }

  emservice::outcome rollback(const emservice::action& a) override {
    host_.write_file_atomic(file_, without_action(host_.read_file(file_), a.id));
    return emservice::outcome::success("removed the entry of " + a.id + " from " + file_);
  }

 private:
  static bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
      if (l == line) return true;
    return false;
  }

  static std::string without_action(const std::string& text, const std::string& id) {
    const std::string tag = " # EEMS " + id;
    std::istringstream in(text);
    std::string out;
    for (std::string l; std::getline(in, l);)
      if (l.size() < tag.size() || l.compare(l.size() - tag.size(), tag.size(), tag) != 0)
        out += l + "\n";
    return out;
  }

  emservice::host_api& host_;
  std::string file_;
};

const char* const action_types[] = {"HostsEntry", nullptr};

// Each key of [plugins.hosts]: its type, its default (written as in the
// configuration file) and what it is for, as `emctl plugins` shows it.
const emservice::setting_spec settings[] = {
    {"file", emservice::setting_type::string, R"("/etc/hosts")", "the hosts file to edit"},
    {nullptr, emservice::setting_type::string, nullptr, nullptr}};

emservice::applier* create(const emservice::host_context& context, std::string& error) {
  // Typed already, the default filled in; what a type cannot say is left.
  const std::string& file = context.settings.get_string("file");
  if (file.empty() || file[0] != '/') {
    error = "plugins." + context.plugin_name + ".file: expected an absolute path";
    return nullptr;
  }
  return new hosts_applier(*context.host, file);
}

void destroy(emservice::applier* instance) {
  delete instance;
}

// The header (ABI version, size, layout table) comes from the SDK: emsd
// refuses a plugin built against another ABI or standard library.
const emservice::plugin_descriptor descriptor = {
    EMSERVICE_PLUGIN_DESCRIPTOR_HEADER, "hosts", action_types, &create, &destroy, settings};

}  // namespace

EMSERVICE_PLUGIN_EXPORT const emservice::plugin_descriptor* emservice_plugin_entry() {
  return &descriptor;
}
