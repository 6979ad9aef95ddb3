#include "core/rules/pattern.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/util/error.hpp"

namespace em::rules {
namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0)
    return "PCRE2 error " + std::to_string(code);
  return reinterpret_cast<const char*>(buffer);
}

std::string one_line(const std::string& text) {
  std::string out = text.size() > 120 ? text.substr(0, 117) + "..." : text;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return out;
}

// The JIT needs a stack bigger than its 32 KiB default for deep patterns;
// one per thread, with the match limits, made on first use.
class match_setup {
 public:
  match_setup() {
    context_ = pcre2_match_context_create(nullptr);
    stack_ = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    if (context_) {
      pcre2_set_match_limit(context_, pattern::match_limit);
      pcre2_set_depth_limit(context_, pattern::depth_limit);
      pcre2_set_heap_limit(context_, pattern::heap_limit_kib);
      if (stack_) pcre2_jit_stack_assign(context_, nullptr, stack_);
    }
  }
  ~match_setup() {
    pcre2_jit_stack_free(stack_);
    pcre2_match_context_free(context_);
  }
  match_setup(const match_setup&) = delete;
  match_setup& operator=(const match_setup&) = delete;

  pcre2_match_context* context() const { return context_; }

 private:
  pcre2_match_context* context_ = nullptr;
  pcre2_jit_stack* stack_ = nullptr;
};

std::string limit_reason(int rc) {
  switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
      return "exceeded the match limit (" + std::to_string(pattern::match_limit) +
             "): the pattern backtracks too much on this input";
    case PCRE2_ERROR_DEPTHLIMIT:
      return "exceeded the backtracking depth limit (" + std::to_string(pattern::depth_limit) + ")";
    case PCRE2_ERROR_HEAPLIMIT:
      return "exceeded the heap limit (" + std::to_string(pattern::heap_limit_kib) + " KiB)";
    case PCRE2_ERROR_JIT_STACKLIMIT:
      return "exceeded the JIT stack (1 MiB): the pattern nests too deeply for this input";
    default:
      return "failed: " + pcre2_message(rc);
  }
}

}  // namespace

pattern::pattern(std::string text, bool ignore_case, void* code, bool jit)
    : text_(std::move(text)), ignore_case_(ignore_case), code_(code), jit_(jit) {}

pattern::~pattern() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

std::shared_ptr<const pattern> pattern::compile(const std::string& text, bool ignore_case) {
  if (text.size() > max_length)
    throw invalid_input("pattern '" + one_line(text) + "' is longer than " +
                        std::to_string(max_length) + " bytes");
  if (text.find('\0') != std::string::npos)
    throw invalid_input("pattern '" + one_line(text) + "' holds a NUL character");
  // What nginx passes (PCRE2_CASELESS or nothing); the NEVER_ options only
  // refuse constructs, they change no match.
  std::uint32_t options = PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C;
  if (ignore_case) options |= PCRE2_CASELESS;
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                       options, &code, &offset, nullptr);
  if (!compiled)
    throw invalid_input("pattern '" + one_line(text) + "' does not compile: " +
                        pcre2_message(code) + " at offset " + std::to_string(offset));
  const bool jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0;
  return std::shared_ptr<const pattern>(new pattern(text, ignore_case, compiled, jit));
}

match_result pattern::match(std::string_view subject) const {
  thread_local match_setup setup;
  match_result out;
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  if (!data || !setup.context()) {
    pcre2_match_data_free(data);
    out.error = "pattern '" + one_line(text_) + "': out of memory";
    return out;
  }
  const int rc = pcre2_match(static_cast<const pcre2_code*>(code_),
                             reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                             data, setup.context());
  pcre2_match_data_free(data);
  if (rc >= 0) {  // 0: a match with more groups than the data holds
    out.matched = true;
  } else if (rc != PCRE2_ERROR_NOMATCH) {
    out.error = "pattern '" + one_line(text_) + "' " + limit_reason(rc);
  }
  return out;
}

}  // namespace em::rules
