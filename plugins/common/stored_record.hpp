#pragma once

#include <map>
#include <optional>
#include <string>

namespace emplugin {

// A few named fields kept as one value of the host's store
// (host_api::save_value): what an apply found before it changed anything, so
// rollback can undo exactly that. Values are any bytes (a rule as it was
// written, with its line endings); each field is "<name> <length>\n<value>\n".
class stored_record {
 public:
  stored_record() = default;

  void set(const std::string& name, std::string value) { fields_[name] = std::move(value); }
  std::optional<std::string> get(const std::string& name) const;
  // The field, or throws plugin_error naming `what` when it is missing.
  std::string require(const std::string& name, const std::string& what) const;

  std::string encode() const;
  // Throws plugin_error naming `what` when `text` is not a record.
  static stored_record decode(const std::string& text, const std::string& what);

 private:
  std::map<std::string, std::string> fields_;
};

}  // namespace emplugin
