#include "core/plugin/elf_precheck.hpp"

#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace em {
namespace {

// Reads exactly `size` bytes at `offset`; false on a short read or an error.
bool read_at(int fd, void* out, std::size_t size, off_t offset) {
  auto* p = static_cast<char*>(out);
  while (size > 0) {
    ssize_t n = ::pread(fd, p, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
}

std::optional<std::string> check_headers(int fd, std::uint64_t file_size) {
  ElfW(Ehdr) eh{};
  if (!read_at(fd, &eh, sizeof eh, 0)) return std::nullopt;  // too short: dlopen says so
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return std::nullopt;
  // Another class or byte order: these headers cannot be read as ours, and
  // dlopen refuses such a file cleanly.
  const unsigned char native_class = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
  if (eh.e_ident[EI_CLASS] != native_class) return std::nullopt;
  if (eh.e_phentsize != sizeof(ElfW(Phdr))) return std::nullopt;

  auto beyond = [&](std::uint64_t offset, std::uint64_t size) {
    return offset > file_size || size > file_size - offset;
  };
  const std::uint64_t table_size = std::uint64_t{eh.e_phnum} * sizeof(ElfW(Phdr));
  if (beyond(eh.e_phoff, table_size))
    return "truncated: its program headers end past the end of the file (" +
           std::to_string(file_size) + " bytes)";
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    ElfW(Phdr) ph{};
    if (!read_at(fd, &ph, sizeof ph, static_cast<off_t>(eh.e_phoff + i * sizeof ph)))
      return std::string("cannot read its program headers");
    if ((ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC) && beyond(ph.p_offset, ph.p_filesz))
      return "truncated: a segment ends at byte " + std::to_string(ph.p_offset + ph.p_filesz) +
             " but the file has " + std::to_string(file_size);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> elf_precheck(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  std::optional<std::string> why;
  if (::fstat(fd, &st) != 0)
    why = std::string("cannot stat: ") + std::strerror(errno);
  else
    why = check_headers(fd, static_cast<std::uint64_t>(st.st_size));
  ::close(fd);
  return why;
}

}  // namespace em
