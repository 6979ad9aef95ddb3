#pragma once

#include <filesystem>
#include <string>

#include "tests/support/run_command.hpp"

namespace em::test {

// An unsigned EOCS document with Microsoft's PING1 heartbeat Config.
extern const char* const ping_document;

// Signs `unsigned_xml` into `out` with the real emfeed and the test PKI's
// signer and chain, at `sequence`; the unsigned text goes beside `out`.
command_result sign_feed(const std::string& unsigned_xml, const std::filesystem::path& out,
                         const std::string& sequence, const std::filesystem::path& emfeed = {});

}  // namespace em::test
