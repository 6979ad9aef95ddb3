#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util/error.hpp"
#include "core/util/file_util.hpp"
#include "tests/support/temp_dir.hpp"

using em::test::read_text;
using em::test::temp_dir;
using em::test::write_text;

TEST_CASE("read_file reads whole files and enforces its size limit") {
  temp_dir dir;
  write_text(dir / "a.txt", "hello");
  CHECK(em::read_file(dir / "a.txt") == "hello");
  CHECK(em::read_file(dir / "a.txt", 5) == "hello");
  CHECK_THROWS_WITH(em::read_file(dir / "a.txt", 4), Catch::Contains("over the limit of 4"));
  CHECK_THROWS_WITH(em::read_file(dir / "missing.txt"), Catch::Contains("missing.txt"));
}

TEST_CASE("write_file_atomic replaces the file and leaves no temporary behind") {
  temp_dir dir;
  write_text(dir / "f.conf", "old");
  em::write_file_atomic(dir / "f.conf", "new content");
  CHECK(read_text(dir / "f.conf") == "new content");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path()))
    (void)e, ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a failed atomic write leaves the previous file intact") {
  if (::geteuid() == 0) {
    // root ignores folder permissions; a missing folder still fails the write.
    temp_dir dir;
    CHECK_THROWS_AS(em::write_file_atomic(dir / "nope" / "f", "x"), em::error);
    return;
  }
  temp_dir dir;
  write_text(dir / "f.conf", "old");
  ::chmod(dir.path().c_str(), 0555);
  CHECK_THROWS_WITH(em::write_file_atomic(dir / "f.conf", "new"), Catch::Contains("cannot create"));
  ::chmod(dir.path().c_str(), 0755);
  CHECK(read_text(dir / "f.conf") == "old");
}

TEST_CASE("a write whose rename fails removes its temporary file and keeps the target") {
  temp_dir dir;
  write_text(dir / "target" / "keep.txt", "kept");  // the target is a non-empty folder
  CHECK_THROWS_WITH(em::write_file_atomic(dir / "target", "x"), Catch::Contains("cannot replace"));
  CHECK(read_text(dir / "target" / "keep.txt") == "kept");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path()))
    (void)e, ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a replaced file keeps its mode and owner, a new one gets the given mode") {
  temp_dir dir;
  const auto file = dir / "web.config";
  write_text(file, "old");
  REQUIRE(::chmod(file.c_str(), 0640) == 0);
  const bool root = ::geteuid() == 0;
  if (root) REQUIRE(::chown(file.c_str(), 1234, 5678) == 0);

  std::string warning;
  em::write_file_atomic(file, "new", 0644, &warning);
  CHECK(warning.empty());
  CHECK(read_text(file) == "new");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  if (root) {
    CHECK(st.st_uid == 1234u);
    CHECK(st.st_gid == 5678u);
  }

  // Even a file nobody may read or write: its bits are the file's, not ours.
  REQUIRE(::chmod(file.c_str(), 0400) == 0);
  em::write_file_atomic(file, "newer");
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0400);
  CHECK(read_text(file) == "newer");

  const auto fresh = dir / "fresh.conf";
  em::write_file_atomic(fresh, "x", 0600);
  REQUIRE(::stat(fresh.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(st.st_uid == ::geteuid());
}

TEST_CASE("a write cut short names the file and leaves the old one, with nothing beside it") {
  temp_dir dir;
  const auto file = dir / "f.conf";
  write_text(file, "old");
  // Only the soft limit is lowered, so it can be raised again; the signal is
  // ignored so the write fails with EFBIG instead of ending the test.
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit low = saved;
  low.rlim_cur = 16;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &low) == 0);
  std::string message = "written";
  try {
    em::write_file_atomic(file, std::string(1000, 'x'));
  } catch (const em::error& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, old_handler);
  CHECK_THAT(message, Catch::StartsWith("cannot write the new " + file.string() + " ("));
  CHECK_THAT(message, Catch::Contains("File too large"));
  CHECK(read_text(file) == "old");
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path()))
    (void)e, ++entries;
  CHECK(entries == 1);
}
