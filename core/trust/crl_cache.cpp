#include "core/trust/crl_cache.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <exception>
#include <system_error>
#include <vector>

#include "core/trust/x509_util.hpp"
#include "core/util/file_util.hpp"

namespace em {

namespace {

namespace fs = std::filesystem;

// A temporary file left by a writer that died; one being written is younger.
constexpr std::chrono::minutes abandoned_after{10};

struct cached_file {
  fs::path path;
  std::uint64_t size = 0;
  std::int64_t written_ns = 0;  // the modification time, to the nanosecond
};

// The entries (<hash>.crl) of a folder, oldest first; abandoned temporary
// files are removed on the way.
std::vector<cached_file> list_entries(const fs::path& folder) {
  std::vector<cached_file> out;
  std::error_code ec;
  const auto now = std::chrono::system_clock::now();
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st {};
    const fs::path p = it->path();
    if (::lstat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const auto written = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
    const std::string name = p.filename().string();
    if (name.find(".crl.tmp.") != std::string::npos) {
      if (now - written > abandoned_after) fs::remove(p, ec);
      continue;
    }
    if (p.extension() != ".crl") continue;
    out.push_back(
        {p, static_cast<std::uint64_t>(st.st_size),
         static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec});
  }
  std::sort(out.begin(), out.end(), [](const cached_file& a, const cached_file& b) {
    return a.written_ns != b.written_ns ? a.written_ns < b.written_ns : a.path < b.path;
  });
  return out;
}

}  // namespace

crl_cache::crl_cache(std::filesystem::path folder, bounds limits)
    : folder_(std::move(folder)), bounds_(limits) {}

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
  if (!enabled() || bytes.size() > bounds_.bytes || bounds_.entries == 0) return false;
  try {
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    if (ec) return false;
    write_file_atomic(file_for(url), bytes, 0644);
  } catch (const std::exception&) {
    return false;
  }
  evict(file_for(url));
  return true;
}

crl_cache::usage crl_cache::measure() const {
  usage u;
  if (!enabled()) return u;
  for (const auto& f : list_entries(folder_)) {
    ++u.entries;
    u.bytes += f.size;
  }
  return u;
}

// Oldest first, never what was just stored (it fits the byte bound alone).
// Another process may evict at the same time: a file already gone is fine.
void crl_cache::evict(const fs::path& keep) const {
  auto files = list_entries(folder_);
  std::uint64_t bytes = 0;
  for (const auto& f : files)
    bytes += f.size;
  std::size_t entries = files.size();
  for (const auto& f : files) {
    if (entries <= bounds_.entries && bytes <= bounds_.bytes) break;
    if (f.path == keep) continue;
    std::error_code ec;
    fs::remove(f.path, ec);
    --entries;
    bytes -= f.size;
  }
}

}  // namespace em
