#include "core/trust/crl_cache.hpp"

#include <sys/stat.h>

#include <exception>
#include <system_error>

#include "core/trust/x509_util.hpp"
#include "core/util/file_util.hpp"

namespace em {

crl_cache::crl_cache(std::filesystem::path folder) : folder_(std::move(folder)) {}

std::filesystem::path crl_cache::file_for(const std::string& url) const {
  return folder_ / (trust_detail::hex_sha256(url) + ".crl");
}

std::optional<crl_cache::entry> crl_cache::load(const std::string& url,
                                                std::size_t max_size) const {
  if (!enabled()) return std::nullopt;
  const auto file = file_for(url);
  // std::filesystem's file clock cannot be converted to system_clock in C++17.
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  try {
    entry e;
    e.bytes = read_file(file, max_size);
    e.written = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
    return e;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool crl_cache::store(const std::string& url, const std::string& bytes) const {
  if (!enabled()) return false;
  try {
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    if (ec) return false;
    write_file_atomic(file_for(url), bytes, 0644);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace em
