#include "tools/emfeed/feed_server_document.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"
#include "core/util/file_util.hpp"

namespace emfeed {
namespace {

std::string etag_of(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string tag = "\"";
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    tag += hex[md[i] >> 4];
    tag += hex[md[i] & 15];
  }
  return tag + "\"";
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

bool feed_server_document::file_id::operator==(const file_id& o) const {
  return inode == o.inode && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
         mtime.tv_nsec == o.mtime.tv_nsec;
}

feed_server_document::feed_server_document(std::filesystem::path file, std::size_t max_size)
    : file_(std::move(file)), max_size_(max_size) {}

feed_server_document::snapshot feed_server_document::current() {
  std::lock_guard<std::mutex> lock(mutex_);
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) {
    seen_ = {};
    current_ = {nullptr, {}, file_.string() + ": " + std::strerror(errno)};
    return current_;
  }
  file_id now{st.st_ino, st.st_size, st.st_mtim};
  if (current_.bytes && now == seen_) return current_;
  try {
    auto bytes = std::make_shared<const std::string>(em::read_file(file_, max_size_));
    current_ = {bytes, etag_of(*bytes), {}};
    seen_ = now;
  } catch (const em::error& e) {
    current_ = {nullptr, {}, e.what()};
    seen_ = {};
  }
  return current_;
}

bool feed_server_document::matches(const std::string& header, const std::string& etag) {
  if (etag.empty()) return false;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    auto comma = header.find(',', pos);
    if (comma == std::string::npos) comma = header.size();
    auto tag = trim(header.substr(pos, comma - pos));
    if (tag == "*") return true;
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);  // If-None-Match compares weakly
    if (tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

}  // namespace emfeed
