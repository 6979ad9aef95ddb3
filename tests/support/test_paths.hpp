#pragma once

#include <filesystem>

namespace em::test {

// Where the built programs, plugins and shared material are; set by CMake.
std::filesystem::path source_dir();
std::filesystem::path binary_dir();
std::filesystem::path emsd_path();
std::filesystem::path emctl_path();
std::filesystem::path emfeed_path();
std::filesystem::path plugin_dir();  // the built-in plugins, as built
// ../shared/conformance beside the checkout; may not exist (a newcomer's clone).
std::filesystem::path conformance_dir();
bool have_conformance();

// The PKI of scripts/make-test-pki.sh (see there for the files): made once
// per build folder, copied into a folder of this process's own, removed at exit.
const std::filesystem::path& test_pki();

}  // namespace em::test
