#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/config/service_config.hpp"
#include "core/store/store.hpp"
#include "core/trust/document_verifier.hpp"

namespace emctl {

// What this server has accepted so far; nothing before the first cycle.
struct server_history {
  std::optional<em::server_record> server;
  std::optional<em::stored_document> last;  // the last accepted document
};

// The document the next check cycle would act on, and the verdict it would give.
struct next_document {
  std::string source;         // the feed's URL, or the file given
  bool not_modified = false;  // the feed answered 304: the last accepted document again
  em::verification verification;
};

// As the next cycle would (SPEC 4 steps 1-2): fetches the feed's document
// through the server's InternetWebProxy with the last accepted document's
// ETag (a 304 is answered from that document), or reads `file` instead;
// verifies it with the configured trust now; then applies the freshness rule
// against the sequence this server accepted. Changes nothing. Throws em::error
// (a fetch_error for the network) when there is no document to verify.
next_document fetch_next_document(const em::service_config& config, const server_history& history,
                                  const std::optional<std::filesystem::path>& file);

}  // namespace emctl
