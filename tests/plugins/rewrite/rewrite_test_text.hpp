#pragma once

// Text helpers the rewrite plugin's tests share.

#include <cstddef>
#include <string>

#include <catch2/catch.hpp>

namespace em::test {

inline std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto p = text.find(part); p != std::string::npos; p = text.find(part, p + 1))
    ++n;
  return n;
}

// `text` with `block` inserted before the first `anchor`, which must be there.
inline std::string inserted_before(std::string text, const std::string& anchor,
                                   const std::string& block) {
  const auto at = text.find(anchor);
  REQUIRE(at != std::string::npos);
  return text.insert(at, block);
}

// `text` with the first `from` replaced by `to`; `from` must be there.
inline std::string replaced_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// True when `after` is `before` with one run of bytes inserted (and nothing
// else changed); `added` receives that run, starting a line where it can.
inline bool one_insertion(const std::string& before, const std::string& after, std::string& added) {
  if (after.size() < before.size()) return false;
  std::size_t head = 0;
  while (head < before.size() && before[head] == after[head])
    ++head;
  std::size_t tail = 0;
  while (tail < before.size() - head &&
         before[before.size() - 1 - tail] == after[after.size() - 1 - tail])
    ++tail;
  if (head + tail != before.size()) return false;
  const std::size_t size = after.size() - before.size();
  while (head > 0 && after[head - 1] != '\n' && after[head - 1] == after[head - 1 + size])
    --head;
  added = after.substr(head, size);
  return true;
}

// The M1 rule as the plugin writes it at `indent`, one level being `unit`.
inline std::string m1_text(const std::string& indent, const std::string& unit,
                           const std::string& eol) {
  const std::string i = indent, u = unit;
  return i + "<rule name=\"EEMS M1.1 PowerShell - inbound\" stopProcessing=\"true\">" + eol + i +
         u + "<match url=\".*\" />" + eol + i + u + "<conditions>" + eol + i + u + u +
         "<add input=\"{UrlDecode:{REQUEST_URI}}\" pattern=\"(?=.*autodiscover)(?=.*powershell)\" "
         "/>" +
         eol + i + u + "</conditions>" + eol + i + u + "<action type=\"AbortRequest\" />" + eol +
         i + "</rule>" + eol;
}

}  // namespace em::test
