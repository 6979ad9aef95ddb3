#include "core/config/toml_reader.hpp"

#include <algorithm>
#include <utility>

#include "core/util/duration.hpp"
#include "core/util/error.hpp"

namespace em {
namespace {

std::string got(const toml::node& n) {
  return std::string(", got ") + toml_reader::type_name(n);
}

}  // namespace

toml_reader::toml_reader(std::string file, std::filesystem::path base_dir)
    : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

void toml_reader::fail(const toml::source_region& where, const std::string& key,
                       const std::string& what) const {
  throw invalid_input(file_ + ":" + std::to_string(where.begin.line) + ":" +
                      std::to_string(where.begin.column) + ": " + key + ": " + what);
}

void toml_reader::fail(const toml::node& at, const std::string& key,
                       const std::string& what) const {
  fail(at.source(), key, what);
}

void toml_reader::refuse_unknown_keys(const toml::table& table, const std::string& prefix,
                                      std::initializer_list<std::string_view> known) const {
  for (auto&& [k, v] : table) {
    (void)v;
    if (std::find(known.begin(), known.end(), k.str()) == known.end())
      fail(k.source(), prefix + "." + std::string(k.str()), "unknown key");
  }
}

const toml::table& toml_reader::as_table(const toml::node& n, const std::string& key) const {
  if (const auto* t = n.as_table()) return *t;
  fail(n, key, "expected a table" + got(n));
}

std::string toml_reader::as_string(const toml::node& n, const std::string& key) const {
  if (const auto* s = n.as_string()) return s->get();
  fail(n, key, "expected a string" + got(n));
}

std::int64_t toml_reader::as_integer(const toml::node& n, const std::string& key) const {
  if (const auto* i = n.as_integer()) return i->get();
  fail(n, key, "expected an integer" + got(n));
}

bool toml_reader::as_bool(const toml::node& n, const std::string& key) const {
  if (const auto* b = n.as_boolean()) return b->get();
  fail(n, key, "expected a boolean (true or false)" + got(n));
}

std::chrono::milliseconds toml_reader::as_duration(const toml::node& n,
                                                   const std::string& key) const {
  const auto* s = n.as_string();
  if (!s) fail(n, key, "expected a duration string such as \"30s\"" + got(n));
  std::chrono::milliseconds d{};
  if (auto why = read_duration_setting(s->get(), d)) fail(n, key, *why);
  return d;
}

std::filesystem::path toml_reader::as_path(const toml::node& n, const std::string& key) const {
  std::string text = as_string(n, key);
  if (text.empty()) fail(n, key, "a path must not be empty");
  if (text.find('\0') != std::string::npos) fail(n, key, "a path must not contain NUL");
  std::filesystem::path p(text);
  // Resolved now, against the file's folder, so a later chdir (daemonising,
  // systemd's WorkingDirectory) cannot change what the operator meant.
  return (base_dir_ / p).lexically_normal();
}

std::vector<std::string> toml_reader::as_string_array(const toml::node& n,
                                                      const std::string& key) const {
  const auto* arr = n.as_array();
  if (!arr) fail(n, key, "expected an array of strings" + got(n));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < arr->size(); ++i)
    out.push_back(as_string((*arr)[i], key + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<std::filesystem::path> toml_reader::as_path_array(const toml::node& n,
                                                              const std::string& key) const {
  const auto* arr = n.as_array();
  if (!arr) fail(n, key, "expected an array of paths (strings)" + got(n));
  std::vector<std::filesystem::path> out;
  for (std::size_t i = 0; i < arr->size(); ++i)
    out.push_back(as_path((*arr)[i], key + "[" + std::to_string(i) + "]"));
  return out;
}

const char* toml_reader::type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace em
