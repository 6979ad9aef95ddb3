#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace em::rules {

// Matching one pattern against one input: whether it matched, or why the
// match could not be finished (a limit was reached).
struct match_result {
  bool matched = false;
  std::string error;  // empty when the match ran to its end

  bool failed() const { return !error.empty(); }
};

// One IIS URL Rewrite pattern (patternSyntax ECMAScript), compiled by PCRE2
// exactly as nginx compiles the same text in `if ($x ~* "…")`: byte
// semantics (no UTF), PCRE2_CASELESS for ignoreCase, nothing else, so the
// evaluator and nginx agree by construction (nginx links the same libpcre2).
// PCRE2's defaults are also the closest to IIS's .NET-flavoured syntax:
// `.` is anything but \n, `$` matches at the end or before a final \n,
// lookahead/lookbehind, named groups and backreferences work, and ECMAScript
// escapes PCRE2 reads differently (\u…) fail to compile instead of matching
// something else. (*UTF), (*UCP) and \C are refused: they would make nginx
// fail on (or split) non-UTF-8 bytes an attacker sends.
//
// Every match runs through the JIT when it is available, with a match limit
// and (for the interpreter) depth and heap limits: a pattern that backtracks
// catastrophically is reported as failed, it never hangs the caller.
class pattern {
 public:
  static constexpr std::size_t max_length = 4096;        // bytes of pattern text
  static constexpr std::uint32_t match_limit = 1000000;  // PCRE2 match limit per match
  static constexpr std::uint32_t depth_limit = 10000;    // interpreter backtracking depth
  static constexpr std::uint32_t heap_limit_kib = 20 * 1024;

  // Throws em::invalid_input with PCRE2's reason and where in the text it is.
  static std::shared_ptr<const pattern> compile(const std::string& text, bool ignore_case);

  pattern(const pattern&) = delete;
  pattern& operator=(const pattern&) = delete;
  ~pattern();

  match_result match(std::string_view subject) const;

  const std::string& text() const { return text_; }
  bool ignore_case() const { return ignore_case_; }
  bool jit() const { return jit_; }

 private:
  pattern(std::string text, bool ignore_case, void* code, bool jit);

  std::string text_;
  bool ignore_case_;
  void* code_;  // pcre2_code_8, kept out of this header
  bool jit_;
};

}  // namespace em::rules
