// libFuzzer target: document_verifier::verify on arbitrary bytes, the
// service's front end to the network (safe parse, structure checks, chain and
// revocation, signature). Trust is a fixed root and its CRL (data/, made by
// make-seeds.sh) at a fixed time, so the signed seeds verify and mutations of
// them reach every stage.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/trust/document_verifier.hpp"
#include "core/util/time_util.hpp"

namespace {

const em::document_verifier& verifier() {
  static const auto instance = [] {
    em::trust_settings s;
    s.anchors = {EM_FUZZ_DATA_DIR "/root.pem"};
    s.crl_files = {EM_FUZZ_DATA_DIR "/root.crl"};
    s.eku = {"1.3.6.1.5.5.7.3.3"};
    s.revocation = em::revocation_mode::require;
    return std::make_unique<em::document_verifier>(s);
  }();
  return *instance;
}

const em::sys_time at = std::chrono::system_clock::from_time_t(1893456000);  // 2030-01-01

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  em::verification v = verifier().verify(bytes, at);  // never throws, by contract
  // A rejection always says why; an acceptance always names the signer and digest.
  if (v.verified != v.reason.empty()) __builtin_trap();
  if (v.verified && (v.digest.size() != 64 || v.signer_subject.empty())) __builtin_trap();
  return 0;
}
