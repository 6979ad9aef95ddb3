#pragma once

// A plugin's typed settings (part of the EM Service plugin SDK: see
// <emservice/plugin.hpp>). A plugin declares each key of its
// [plugins.<name>] table with a type, a default and a description, as Fluent
// Bit's config maps do; the host checks and converts the operator's values
// before create(), so the plugin receives typed values and parses nothing.

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace emservice {

// How each type is written in the operator's TOML file:
//   string    "text"
//   boolean   true or false
//   integer   42
//   duration  "30s", "10m", "1h30m", "500ms", "1d" (the service's one duration grammar)
//   list      ["a", "b"] (strings only; a command line, say)
//   table     { "Default Web Site" = "/etc/nginx/site" } (string values; or a
//             [plugins.<name>.<key>] section)
enum class setting_type : std::uint32_t {
  string = 1,
  boolean = 2,
  integer = 3,
  duration = 4,
  list = 5,
  table = 6
};

// One key of a plugin's table, as its descriptor declares it. The host refuses
// any other key, and any value that is not of `type`, naming the file, line
// and key, and fills in `default_value` for a key the operator left out.
struct setting_spec {
  const char* key;  // "timeout"; an entry with a null key ends the list
  setting_type type;
  // Written as in the configuration file (TOML): R"("60s")", "true", "5",
  // R"(["/usr/bin/systemctl"])". nullptr: no default; the plugin then sees
  // the key only when the operator sets it.
  const char* default_value;
  const char* description;  // one line, shown by `emctl plugins`
};

// A setting's value, converted to its declared type: only the member of that
// type is meaningful.
struct setting_value {
  setting_type type = setting_type::string;
  bool is_default = false;  // the descriptor's default, not the operator's value
  std::string text;         // string
  bool boolean = false;
  std::int64_t integer = 0;
  std::chrono::milliseconds duration{0};
  std::vector<std::string> list;
  std::map<std::string, std::string> table;
};

// A plugin's settings: each declared key that the operator set or that has a
// default. The getters throw std::runtime_error for a key without a value or
// one declared with another type; a create() that lets it escape is refused
// with that message.
class settings_table {
 public:
  std::map<std::string, setting_value> values;

  bool has(const std::string& key) const { return values.count(key) != 0; }
  const std::string& get_string(const std::string& key) const {
    return get(key, setting_type::string).text;
  }
  bool get_bool(const std::string& key) const { return get(key, setting_type::boolean).boolean; }
  std::int64_t get_integer(const std::string& key) const {
    return get(key, setting_type::integer).integer;
  }
  std::chrono::milliseconds get_duration(const std::string& key) const {
    return get(key, setting_type::duration).duration;
  }
  const std::vector<std::string>& get_list(const std::string& key) const {
    return get(key, setting_type::list).list;
  }
  const std::map<std::string, std::string>& get_table(const std::string& key) const {
    return get(key, setting_type::table).table;
  }

 private:
  const setting_value& get(const std::string& key, setting_type type) const {
    auto it = values.find(key);
    if (it == values.end())
      throw std::runtime_error("setting '" + key + "' is not set and has no default");
    if (it->second.type != type)
      throw std::runtime_error("setting '" + key + "' is read as another type than declared");
    return it->second;
  }
};

}  // namespace emservice
