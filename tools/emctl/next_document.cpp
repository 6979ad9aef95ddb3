#include "tools/emctl/next_document.hpp"

#include <chrono>

#include "core/fetch/feed_client.hpp"
#include "core/policy/sequence_check.hpp"
#include "core/util/file_util.hpp"

namespace emctl {
namespace {

std::string fetch_bytes(const em::service_config& config, const server_history& history,
                        next_document& out) {
  const auto& feed = config.feed;
  const std::string proxy = history.server ? history.server->internet_web_proxy : std::string();
  // The ETag is sent only for a document from this same URL, as the fetcher does.
  const bool same_source = history.last && history.last->source == feed.url;
  auto res = em::fetch_feed(feed.url, same_source ? history.last->etag : std::string(),
                            em::feed_http_options(feed, proxy));
  if (!res.not_modified) return std::move(res.bytes);
  out.not_modified = true;
  return history.last->bytes;
}

}  // namespace

next_document fetch_next_document(const em::service_config& config, const server_history& history,
                                  const std::optional<std::filesystem::path>& file) {
  next_document out;
  out.source = file ? file->string() : config.feed.url;
  const std::string bytes =
      file ? em::read_file(*file, config.feed.max_size) : fetch_bytes(config, history, out);

  const std::string proxy = history.server ? history.server->internet_web_proxy : std::string();
  em::document_verifier verifier(em::trust_settings::from_config(config),
                                 em::configured_crl_sources(config, [proxy] { return proxy; }));
  out.verification = verifier.verify(bytes, std::chrono::system_clock::now());
  auto& v = out.verification;
  if (!v.verified) return out;
  em::accepted_state accepted;
  if (history.server)
    accepted = {history.server->highest_sequence, history.server->accepted_digest};
  if (auto why = em::check_sequence(v.document.sequence, v.digest, accepted,
                                    config.trust.require_sequence);
      !why.empty()) {
    v.verified = false;
    v.reason = why;
  }
  return out;
}

}  // namespace emctl
