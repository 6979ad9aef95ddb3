#include "core/trust/trust_settings.hpp"

namespace em {

trust_settings trust_settings::from_config(const service_config& config) {
  trust_settings s;
  s.anchors = config.trust.anchors;
  s.issuer = config.trust.issuer;
  s.eku = config.trust.eku;
  s.max_size = config.feed.max_size;
  return s;
}

}  // namespace em
