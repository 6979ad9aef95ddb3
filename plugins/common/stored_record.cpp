#include "plugins/common/stored_record.hpp"

#include <charconv>

#include "plugins/common/plugin_error.hpp"

namespace emplugin {

std::optional<std::string> stored_record::get(const std::string& name) const {
  auto it = fields_.find(name);
  if (it == fields_.end()) return std::nullopt;
  return it->second;
}

std::string stored_record::require(const std::string& name, const std::string& what) const {
  auto v = get(name);
  if (!v) throw plugin_error(what + " has no '" + name + "'");
  return *v;
}

std::string stored_record::encode() const {
  std::string out;
  for (const auto& [name, value] : fields_)
    out += name + " " + std::to_string(value.size()) + "\n" + value + "\n";
  return out;
}

stored_record stored_record::decode(const std::string& text, const std::string& what) {
  stored_record r;
  const auto bad = [&](const std::string& why) {
    return plugin_error(what + " is unreadable (" + why + "); it is left as it is");
  };
  for (std::size_t p = 0; p < text.size();) {
    const auto space = text.find(' ', p);
    const auto nl = text.find('\n', p);
    if (space == std::string::npos || nl == std::string::npos || space > nl)
      throw bad("a field without its length");
    std::size_t size = 0;
    auto [end, ec] = std::from_chars(text.data() + space + 1, text.data() + nl, size);
    if (ec != std::errc{} || end != text.data() + nl) throw bad("a bad length");
    const std::size_t begin = nl + 1;
    if (size > text.size() - begin || begin + size >= text.size() || text[begin + size] != '\n')
      throw bad("a field cut short");
    r.fields_[text.substr(p, space - p)] = text.substr(begin, size);
    p = begin + size + 1;
  }
  return r;
}

}  // namespace emplugin
