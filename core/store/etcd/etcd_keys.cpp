#include "core/store/etcd/etcd_keys.hpp"

#include <cctype>
#include <cstdio>

namespace em::etcd {
namespace {

void escape(std::string& out, unsigned char c) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%%%02X", c);
  out += buf;
}

}  // namespace

std::string key_layout::server_id(const std::string& name) {
  std::string out;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch)));
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-')
      out += static_cast<char>(c);
    else
      escape(out, c);
  }
  return out;
}

std::string key_layout::segment(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '/' || c == '%' || c < 0x20 || c == 0x7f)
      escape(out, c);
    else
      out += ch;
  }
  return out;
}

std::string key_layout::unsegment(const std::string& segment) {
  std::string out;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '%' && i + 2 < segment.size() &&
        std::isxdigit(static_cast<unsigned char>(segment[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(segment[i + 2]))) {
      out += static_cast<char>(std::stoi(segment.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += segment[i];
    }
  }
  return out;
}

}  // namespace em::etcd
