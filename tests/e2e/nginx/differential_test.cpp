// SPEC 13: emctl test-request's verdicts and nginx's agree on every request
// of the corpus, with rules that use every input, both groupings, negate, a
// virtual directory and each action, applied to a real nginx by emsd --once.

#include <catch2/catch.hpp>

#include <map>

#include "tests/e2e/nginx/mitigation_documents.hpp"
#include "tests/e2e/nginx/nginx_e2e_fixture.hpp"
#include "tests/e2e/nginx/request_corpus.hpp"

using namespace em::test;

namespace {

// "blocked", "allowed", or "refused" (nginx answers 400 before any rule).
std::string nginx_verdict(nginx_e2e_fixture& f, const corpus_request& r) {
  const auto before = f.backend_count();
  auto a = send_raw(f.nginx.port(), r.method, r.target, r.headers, r.host);
  if (f.backend_count() > before) return "allowed";
  return a.status == 400 ? "refused" : "blocked";
}

std::string emctl_verdict(nginx_e2e_fixture& f, const corpus_request& r, std::string& output) {
  std::vector<std::string> args = {"test-request", "http://" + r.host + r.target, "--method",
                                   r.method};
  for (const auto& [name, value] : r.headers) {
    args.push_back("--header");
    args.push_back(name + ": " + value);
  }
  auto result = f.emctl(args);
  output = result.out + result.err;
  if (result.exit_code == 2 && result.err.find("(nginx answers 400)") != std::string::npos)
    return "refused";
  if (result.exit_code != 0) return "error (exit " + std::to_string(result.exit_code) + ")";
  if (result.out.find("Verdict: blocked\n") != std::string::npos) return "blocked";
  if (result.out.find("Verdict: allowed\n") != std::string::npos) return "allowed";
  return "no verdict";
}

}  // namespace

TEST_CASE("emctl test-request and nginx give the same verdict on every request of the corpus") {
  EM_SKIP_WITHOUT_NGINX()
  nginx_e2e_fixture f;
  f.publish(corpus_document, "1");
  auto once = f.reloading([&] { return f.emsd_once(); });
  INFO(once.out << once.err);
  REQUIRE(once.exit_code == 0);
  for (const char* id : {"M0.1", "M1.1", "M2.1", "M3.1", "M4.1"})
    CHECK_THAT(once.out, Catch::Contains(std::string(id) + " UrlRewrite: Applied"));

  const auto corpus = request_corpus();
  REQUIRE(corpus.size() >= 200);
  std::map<std::string, int> verdicts;
  std::map<std::string, int> by_origin;
  int agreed = 0;
  for (const auto& r : corpus) {
    std::string output;
    const std::string from_nginx = nginx_verdict(f, r);
    const std::string from_emctl = emctl_verdict(f, r, output);
    INFO(r.origin << ": " << r.method << " " << r.target << " (Host " << r.host << ")\n" << output);
    CHECK(from_emctl == from_nginx);
    if (from_emctl == from_nginx) ++agreed;
    ++verdicts[from_nginx];
    ++by_origin[r.origin];
  }
  std::string counts;
  for (const auto& [v, n] : verdicts)
    counts += " " + v + " " + std::to_string(n);
  WARN("differential corpus: " << corpus.size() << " requests, " << agreed
                               << " agree (nginx:" << counts << ")");
  CHECK(agreed == static_cast<int>(corpus.size()));
  // The corpus exercises both answers, and nginx's refusals.
  CHECK(verdicts["blocked"] >= 100);
  CHECK(verdicts["allowed"] >= 60);
  CHECK(verdicts["refused"] == 5);
}
