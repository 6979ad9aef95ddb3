#pragma once

#include <filesystem>
#include <string>

#include "core/config/service_config.hpp"
#include "core/store/store.hpp"
#include "core/trust/document_verifier.hpp"

namespace emctl {

// The stored last accepted document, verified again now: the store is not a
// trust anchor. As of when it was accepted and without revocation: that was
// checked then, and CRLs issued since would not be valid at that time.
// Throws em::error with the reason, ending with `nothing_done`.
em::verification verify_accepted(const em::service_config& config,
                                 const em::stored_document& stored,
                                 const std::string& nothing_done);

// A document file verified with the configured trust as of now, CRLs as
// `emctl verify` gets them. Throws em::invalid_input when it cannot be read
// and em::error saying "Rejected: <reason>" when it does not verify.
em::verification verify_file(const em::service_config& config, const std::filesystem::path& file);

}  // namespace emctl
