#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace em {

// Reads typed values out of a parsed TOML document and turns every mistake into
// one em::invalid_input line "<file>:<line>:<column>: <dotted.key>: <what>", so
// the operator can go straight to the place to fix. Internal to the config loader.
class toml_reader {
 public:
  // `file` names the source in messages; `base_dir` anchors relative paths.
  toml_reader(std::string file, std::filesystem::path base_dir);

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key,
                         const std::string& what) const;
  [[noreturn]] void fail(const toml::node& at, const std::string& key,
                         const std::string& what) const;

  // Refuses the first key of `table` that is not in `known` ("<prefix>.<key>: unknown key").
  void refuse_unknown_keys(const toml::table& table, const std::string& prefix,
                           std::initializer_list<std::string_view> known) const;

  const toml::table& as_table(const toml::node& n, const std::string& key) const;
  std::string as_string(const toml::node& n, const std::string& key) const;
  std::int64_t as_integer(const toml::node& n, const std::string& key) const;
  bool as_bool(const toml::node& n, const std::string& key) const;
  std::chrono::milliseconds as_duration(const toml::node& n, const std::string& key) const;
  // A non-empty path, resolved against the configuration file's folder.
  std::filesystem::path as_path(const toml::node& n, const std::string& key) const;
  std::vector<std::string> as_string_array(const toml::node& n, const std::string& key) const;
  std::vector<std::filesystem::path> as_path_array(const toml::node& n,
                                                   const std::string& key) const;

  // "string", "integer", "float", "boolean", "date", "time", "date-time", "array", "table".
  static const char* type_name(const toml::node& n);

 private:
  std::string file_;
  std::filesystem::path base_dir_;
};

}  // namespace em
