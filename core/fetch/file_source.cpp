#include "core/fetch/file_source.hpp"

#include <cctype>

#include "core/util/error.hpp"
#include "core/util/file_util.hpp"

namespace em {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<std::filesystem::path> path_from_file_url(const std::string& url) {
  const std::string scheme = "file://";
  if (url.size() <= scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return std::nullopt;
  std::string rest = url.substr(scheme.size());
  if (rest.rfind("localhost/", 0) == 0) rest = rest.substr(9);
  if (rest.empty() || rest[0] != '/') return std::nullopt;
  if (rest.find_first_of("?#") != std::string::npos) return std::nullopt;
  auto decoded = percent_decode(rest);
  if (!decoded) return std::nullopt;
  return std::filesystem::path(*decoded);
}

std::string fetch_file_url(const std::string& url, std::uint64_t max_size) {
  auto path = path_from_file_url(url);
  if (!path) throw error("not a local file URL: " + url);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*path, ec))
    throw error(path->string() + (std::filesystem::exists(*path, ec) ? " is not a regular file"
                                                                     : " does not exist"));
  return read_file(*path, static_cast<std::size_t>(max_size));
}

}  // namespace em
