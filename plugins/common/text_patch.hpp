#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace emplugin {

// Replacements of byte ranges of one original text, collected in any order and
// applied at once: everything outside the ranges stays byte for byte.
class text_patch {
 public:
  void replace(std::size_t begin, std::size_t end, std::string text);
  void insert(std::size_t at, std::string text) { replace(at, at, std::move(text)); }
  void erase(std::size_t begin, std::size_t end) { replace(begin, end, {}); }

  bool empty() const { return edits_.empty(); }
  // Throws plugin_error when two ranges overlap or one lies outside `original`.
  std::string apply(const std::string& original) const;

 private:
  struct edit {
    std::size_t begin;
    std::size_t end;
    std::string text;
  };
  std::vector<edit> edits_;
};

}  // namespace emplugin
