#include <catch2/catch.hpp>

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
