#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/util/time_util.hpp"

namespace em {

// CRLs downloaded from distribution points, kept on disk by URL so a CRL is
// fetched once per validity period rather than once per check cycle. A plain
// byte store: whether an entry is still worth using (parses, is current) is the
// caller's decision, and the verifier checks signature and dates whatever the
// cache says, so nothing here is trusted.
//
// Never throws: a cache that cannot be read is empty and one that cannot be
// written is not a cache, since a missing cache only costs a download.
// Safe to use from several threads and processes: entries are replaced
// atomically (temporary file and rename).
//
// Bounded: after each store the oldest entries (by the time they were
// written) are removed until the folder holds at most `bounds` entries and
// bytes; an entry larger than the byte bound is never stored.
// What a crl_cache may hold.
struct crl_cache_bounds {
  std::size_t entries = 32;
  std::uint64_t bytes = 16 * 1024 * 1024;
};

class crl_cache {
 public:
  using bounds = crl_cache_bounds;

  struct entry {
    std::string bytes;
    sys_time written;  // when it was stored (the file's modification time)
  };

  // `folder` is created on the first store; an empty path disables the cache.
  explicit crl_cache(std::filesystem::path folder, bounds limits = {});

  // The bytes last stored for `url`; nullopt when there are none or they are
  // larger than `max_size`.
  std::optional<entry> load(const std::string& url, std::size_t max_size) const;

  // Replaces what is kept for `url`, then evicts down to the bounds; false
  // when it could not be written or is larger than the byte bound.
  bool store(const std::string& url, const std::string& bytes) const;

  // What the folder holds now, as the bounds count it.
  struct usage {
    std::size_t entries = 0;
    std::uint64_t bytes = 0;
  };
  usage measure() const;

  // The file an URL is kept in: named by a hash, so no URL can choose a path.
  std::filesystem::path file_for(const std::string& url) const;

  bool enabled() const { return !folder_.empty(); }

 private:
  void evict(const std::filesystem::path& keep) const;

  std::filesystem::path folder_;
  bounds bounds_;
};

}  // namespace em
