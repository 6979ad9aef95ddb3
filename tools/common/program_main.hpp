#pragma once

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "core/util/error.hpp"
#include "tools/common/version.hpp"

namespace emtools {

// SPEC 7's exit codes, the same for every program: CLI11's help and
// `--version` (SPEC 14; added here so that no program lacks it) print and
// exit 0; a bad command line or an em::invalid_input is bad usage (2); any
// other exception is a failure (1); otherwise what `run` returns. Errors are
// one line on stderr, prefixed with the program's name.
template <class Run>
int run_program(const char* name, CLI::App& app, Run&& run) {
  app.set_version_flag("--version", version_text(name),
                       "Print the version and plugin ABI, and exit");
  try {
    return run();
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help, --help-all and --version exit 0
  } catch (const em::invalid_input& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace emtools
