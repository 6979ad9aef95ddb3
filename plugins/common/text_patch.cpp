#include "plugins/common/text_patch.hpp"

#include <algorithm>

#include "plugins/common/plugin_error.hpp"

namespace emplugin {

void text_patch::replace(std::size_t begin, std::size_t end, std::string text) {
  if (end < begin) throw plugin_error("internal: an edit ends before it begins");
  edits_.push_back({begin, end, std::move(text)});
}

std::string text_patch::apply(const std::string& original) const {
  auto sorted = edits_;
  // Stable, so inserts at one offset keep the order they were asked for.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const edit& a, const edit& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(original.size());
  std::size_t at = 0;
  for (const auto& e : sorted) {
    if (e.begin < at || e.end > original.size())
      throw plugin_error("internal: overlapping edits of one file; nothing is written");
    out.append(original, at, e.begin - at);
    out += e.text;
    at = e.end;
  }
  out.append(original, at, std::string::npos);
  return out;
}

}  // namespace emplugin
