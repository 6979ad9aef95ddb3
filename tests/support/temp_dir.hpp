#pragma once

#include <filesystem>
#include <string>

namespace em::test {

// A fresh folder under $TMPDIR, removed with everything in it on destruction
// (kept when EM_KEEP_TEST_FILES is set, to look at after a failure).
class temp_dir {
 public:
  explicit temp_dir(const std::string& prefix = "emtest");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `file`, creating its folder.
void write_text(const std::filesystem::path& file, const std::string& content);
std::string read_text(const std::filesystem::path& file);

}  // namespace em::test
