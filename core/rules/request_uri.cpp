#include "core/rules/request_uri.hpp"

#include "core/util/error.hpp"

namespace em::rules {
namespace {

int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

[[noreturn]] void refuse(std::string_view target, const std::string& why) {
  std::string shown(target.substr(0, 200));
  throw invalid_input("request URI '" + shown + "' " + why + " (nginx answers 400)");
}

// ngx_http_parse_complex_uri's walk over the path, in its states: after a
// '/', after "/.", after "/..", and inside a %XX. A decoded character is
// walked again in the state the '%' came in, except that a decoded '%',
// '#' or '?' is plain text and a decoded NUL is refused.
class path_walk {
 public:
  explicit path_walk(std::string_view target) : in_(target) {}

  std::string run() {
    int ch = next();
    while (ch >= 0 && !done_) {
      switch (state_) {
        case state::usual:
          ch = usual(ch);
          break;
        case state::slash:
          ch = slash(ch);
          break;
        case state::dot:
          ch = dot(ch);
          break;
        case state::dot_dot:
          ch = dot_dot(ch);
          break;
        case state::quoted:
          ch = quoted(ch);
          break;
        case state::quoted_second:
          ch = quoted_second(ch);
          break;
      }
    }
    if (!done_) finish();
    return out_;
  }

 private:
  enum class state { usual, slash, dot, dot_dot, quoted, quoted_second };

  int next() { return pos_ < in_.size() ? static_cast<unsigned char>(in_[pos_++]) : -1; }

  int stop() {
    done_ = true;
    return -1;
  }

  int start_quoted() {
    quoted_state_ = state_;
    state_ = state::quoted;
    return next();
  }

  int plain(int ch) {
    state_ = state::usual;
    out_ += static_cast<char>(ch);
    return next();
  }

  int usual(int ch) {
    switch (ch) {
      case '/':
        state_ = state::slash;
        out_ += '/';
        return next();
      case '%':
        return start_quoted();
      case '?':
      case '#':
        return stop();
      default:
        return plain(ch);
    }
  }

  int slash(int ch) {
    switch (ch) {
      case '/':  // merged
        return next();
      case '.':
        state_ = state::dot;
        out_ += '.';
        return next();
      case '%':
        return start_quoted();
      case '?':
      case '#':
        return stop();
      default:
        return plain(ch);
    }
  }

  int dot(int ch) {
    switch (ch) {
      case '/':
        state_ = state::slash;
        out_.pop_back();  // "/./" is "/"
        return next();
      case '.':
        state_ = state::dot_dot;
        out_ += '.';
        return next();
      case '%':
        return start_quoted();
      case '?':
      case '#':
        out_.pop_back();
        return stop();
      default:
        return plain(ch);
    }
  }

  int dot_dot(int ch) {
    switch (ch) {
      case '/':
      case '?':
      case '#':
        up();
        if (ch != '/') return stop();
        state_ = state::slash;
        return next();
      case '%':
        return start_quoted();
      default:
        return plain(ch);
    }
  }

  int quoted(int ch) {
    const int v = hex_value(ch);
    if (v < 0) refuse(in_, "has a '%' not followed by two hex digits");
    decoded_ = v;
    state_ = state::quoted_second;
    return next();
  }

  int quoted_second(int ch) {
    const int v = hex_value(ch);
    if (v < 0) refuse(in_, "has a '%' not followed by two hex digits");
    const int c = (decoded_ << 4) + v;
    // nginx tests '%', '#' and NUL after a decimal second digit, '?' after a letter.
    const bool decimal = ch >= '0' && ch <= '9';
    if (decimal && c == 0) refuse(in_, "holds %00");
    if ((decimal && (c == '%' || c == '#')) || (!decimal && c == '?')) return plain(c);
    state_ = quoted_state_;
    return c;  // walked again in the state the '%' came in
  }

  // "/seg/.." goes back to after the '/' before "seg".
  void up() {
    // out_ ends with "/..": drop it and the segment before.
    std::size_t keep = out_.size() >= 4 ? out_.size() - 4 : std::string::npos;
    for (;;) {
      if (keep == std::string::npos) refuse(in_, "climbs above the root with '..'");
      if (out_[keep] == '/') break;
      keep = keep == 0 ? std::string::npos : keep - 1;
    }
    out_.resize(keep + 1);
  }

  void finish() {
    if (state_ == state::quoted || state_ == state::quoted_second)
      refuse(in_, "ends inside a %XX escape");
    if (state_ == state::dot) out_.pop_back();
    if (state_ == state::dot_dot) up();
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::string out_;
  state state_ = state::usual;
  state quoted_state_ = state::usual;
  int decoded_ = 0;
  bool done_ = false;
};

std::string decode_once(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(static_cast<unsigned char>(text[i + 1]));
      const int lo = hex_value(static_cast<unsigned char>(text[i + 2]));
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::string normalized_path(std::string_view target) {
  if (target.empty() || target[0] != '/') refuse(target, "does not start with '/'");
  return path_walk(target).run();
}

std::string query_string(std::string_view target) {
  const std::size_t first = target.find_first_of("?#");
  if (first == std::string_view::npos || target[first] == '#') return {};
  const std::size_t end = target.find('#', first + 1);
  return std::string(
      target.substr(first + 1, end == std::string_view::npos ? end : end - first - 1));
}

std::string url_decode(std::string_view text) {
  std::string current(text);
  for (int round = 0; round < url_decode_rounds; ++round) {
    std::string next = decode_once(current);
    if (next == current) break;
    current = std::move(next);
  }
  return current;
}

}  // namespace em::rules
