#include "core/trust/trust_settings.hpp"

#include "core/fetch/feed_client.hpp"
#include "core/trust/crl_cdp_source.hpp"

namespace em {

trust_settings trust_settings::from_config(const service_config& config) {
  trust_settings s;
  s.anchors = config.trust.anchors;
  s.issuer = config.trust.issuer;
  s.issuer_key_sha256 = config.trust.issuer_key_sha256;
  s.eku = config.trust.eku;
  s.crl_files = config.trust.crl_files;
  s.revocation = config.trust.revocation;
  s.max_size = config.feed.max_size;
  return s;
}

std::filesystem::path crl_cache_folder(const service_config& config) {
  return config.store.path.parent_path() / "crl-cache";
}

std::vector<std::shared_ptr<const crl_source>> configured_crl_sources(
    const service_config& config, std::function<std::string()> proxy) {
  std::vector<std::shared_ptr<const crl_source>> sources;
  if (!config.trust.crl_fetch) return sources;
  crl_fetch_options options;
  options.limits = feed_http_options(config.feed, "").limits;
  options.cache_folder = crl_cache_folder(config);
  options.proxy = std::move(proxy);
  sources.push_back(std::make_shared<crl_cdp_source>(std::move(options)));
  return sources;
}

}  // namespace em
