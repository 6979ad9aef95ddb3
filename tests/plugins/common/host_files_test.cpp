// The plugins' file policy on top of the host's atomic write: a replaced file
// keeps its mode and owner and leaves only its backup beside it; backups keep
// the file's permission bits and never overwrite each other.
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include <catch2/catch.hpp>

#include "core/plugin/plugin_host.hpp"
#include "plugins/common/host_files.hpp"
#include "plugins/common/plugin_error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace em::test;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<emservice::host_api> make_host() {
  return em::plugin_host(nullptr, "EX01", nullptr).make_api("rewrite");
}

unsigned mode_of(const fs::path& file) {
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("a replaced file keeps its mode and owner, and leaves nothing beside it") {
  temp_dir dir("ematomic");
  auto host = make_host();
  const auto file = dir / "web.config";
  write_text(file, "old");
  ::chmod(file.c_str(), 0640);
  if (::geteuid() == 0) REQUIRE(::chown(file.c_str(), 1234, 5678) == 0);

  auto backup = emplugin::write_with_backup(*host, file, std::string("old"), "new", 5);
  CHECK(read_text(file) == "new");
  CHECK(read_text(backup) == "old");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  if (::geteuid() == 0) {
    CHECK(st.st_uid == 1234u);
    CHECK(st.st_gid == 5678u);
  }
  // A copy of a file others may not read is not readable by them either.
  CHECK(mode_of(backup) == 0640);
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path()))
    names.insert(e.path().filename().string());
  CHECK(names == std::set<std::string>{"web.config", backup.filename().string()});
  CHECK_THAT(backup.filename().string(),
             Catch::Matches(R"(web\.config\.emservice-\d{8}T\d{6}\.\d{3}Z(-\d+)?\.bak)"));

  // No old file: no backup.
  CHECK(emplugin::write_with_backup(*host, dir / "new.config", std::nullopt, "x", 5).empty());
  CHECK(read_text(dir / "new.config") == "x");
}

TEST_CASE("backups made in the same millisecond get their own names") {
  temp_dir dir("ematomic");
  auto host = make_host();
  const auto file = dir / "web.config";
  write_text(file, "x");
  std::set<fs::path> backups;
  for (int i = 0; i < 5; ++i)
    backups.insert(emplugin::write_backup(file, "copy " + std::to_string(i)));
  CHECK(backups.size() == 5);
  std::set<std::string> contents;
  for (const auto& b : backups)
    contents.insert(read_text(b));
  CHECK(contents.size() == 5);
}

TEST_CASE(
    "reading: a missing file is nothing, a too large one an error, and a failed write leaves "
    "no backup") {
  temp_dir dir("ematomic");
  auto host = make_host();
  CHECK(emplugin::read_if_exists(*host, dir / "missing") == std::nullopt);
  write_text(dir / "small", "abc");
  CHECK(emplugin::read_if_exists(*host, dir / "small") == std::optional<std::string>("abc"));
  write_text(dir / "big", "");
  fs::resize_file(dir / "big", 64 * 1024 * 1024 + 1);  // sparse: over the host's limit
  CHECK_THROWS_WITH(emplugin::read_if_exists(*host, dir / "big"),
                    Catch::Contains("over the limit"));
  CHECK_THROWS_AS(
      emplugin::write_with_backup(*host, dir / "no/such/folder/file", std::nullopt, "x", 5),
      std::runtime_error);

  // The target is a folder: the replace fails after the backup was made, and
  // the backup goes again.
  fs::create_directories(dir / "target" / "inside");
  const auto before = std::distance(fs::directory_iterator(dir.path()), {});
  CHECK_THROWS_WITH(
      emplugin::write_with_backup(*host, dir / "target", std::string("old"), "new", 5),
      Catch::Contains("cannot replace"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), {}) == before);
}

TEST_CASE("a file apply created is removed on rollback, a missing one is no error") {
  temp_dir dir("ematomic");
  write_text(dir / "web.config", "x");
  emplugin::remove_file(dir / "web.config");
  CHECK_FALSE(fs::exists(dir / "web.config"));
  CHECK_NOTHROW(emplugin::remove_file(dir / "web.config"));
}

TEST_CASE("issue_11_only_the_newest_of_the_services_own_backups_are_kept") {
  temp_dir dir("ematomic");
  const auto file = dir / "web.config";
  write_text(file, "x");
  // Oldest first: by time, then by the number of a second backup in the same millisecond.
  const std::vector<std::string> own = {
      "web.config.emservice-20240101T000000.000Z.bak",
      "web.config.emservice-20240101T000000.000Z-1.bak",
      "web.config.emservice-20240101T000000.000Z-2.bak",
      "web.config.emservice-20240101T000000.001Z.bak",
      "web.config.emservice-20250101T000000.000Z.bak",
  };
  for (const auto& name : own)
    write_text(dir / name, name);
  for (const auto& name : {"web.config.bak", "web.config.emservice-old.bak",
                           "other.config.emservice-20200101T000000.000Z.bak"})
    write_text(dir / name, "not ours");
  std::vector<fs::path> expected;
  for (const auto& name : own)
    expected.push_back(dir / name);
  CHECK(emplugin::own_backups(file) == expected);

  CHECK(emplugin::prune_backups(file, 2).empty());
  CHECK(emplugin::own_backups(file) == std::vector<fs::path>{expected[3], expected[4]});
  for (const auto& name : {"web.config.bak", "web.config.emservice-old.bak",
                           "other.config.emservice-20200101T000000.000Z.bak"})
    CHECK(fs::exists(dir / name));

  // Through write_with_backup: the new backup counts, the oldest goes.
  auto host = make_host();
  auto backup = emplugin::write_with_backup(*host, file, std::string("x"), "y", 2);
  CHECK(emplugin::own_backups(file) == std::vector<fs::path>{expected[4], backup});
}
