// The real emctl verify on the attack corpus (tests/core/trust/corpus, made by
// the openssl and xmlsec1 tools): every document is rejected with its exact
// reason, or verified with the mitigations it holds.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/core/trust/corpus/trust_corpus.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/test_paths.hpp"

namespace em::test {

TEST_CASE("emctl verify gives every corpus document its exact verdict") {
  std::size_t good = 0, bad = 0;
  for (const auto& d : trust_corpus()) {
    std::vector<std::string> args{emctl_path().string(), "verify", d.file.string()};
    auto flags = d.trust.emctl_flags();
    args.insert(args.end(), flags.begin(), flags.end());
    auto r = run_command(args);
    INFO(d.name << ": " << r.out << r.err);
    CHECK(r.err.empty());
    if (!d.reason.empty()) {
      ++bad;
      CHECK(r.exit_code == 1);
      CHECK(r.out == "Rejected: " + d.reason + "\n");
      continue;
    }
    ++good;
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("Verified: sequence 1, signed by CN=EM Corpus ", 0) == 0);
    // Each action on its own line, in document order; each rejected Config named.
    std::size_t at = 0;
    for (const auto& id : d.actions) {
      auto pos = r.out.find("\n  " + id + " ", at);
      CHECK(pos != std::string::npos);
      at = pos == std::string::npos ? at : pos + 1;
    }
    for (const auto& id : d.rejected_ids)
      CHECK(r.out.find("\n  rejected Config " + id + ": ") != std::string::npos);
    CHECK(r.out.find("EVIL") == std::string::npos);
  }
  CHECK(good >= 10);
  CHECK(bad >= 50);
}

}  // namespace em::test
