#pragma once

#include <string>

namespace emtools {

// What `--version` prints for every program (SPEC 14): the project's version
// and the plugin ABI its SDK headers declare, the two numbers an operator
// needs to know whether a third-party plugin fits this installation.
std::string version_text(const std::string& program);

}  // namespace emtools
