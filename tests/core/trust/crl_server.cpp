#include "tests/core/trust/crl_server.hpp"

namespace em::test {

crl_server::crl_server()
    : server_(
          server_script{server_mode::respond, false, {}, {}, {}, [this](const received_request& r) {
                          return answer(r);
                        }}) {}

void crl_server::serve(const std::string& path, const std::string& response) {
  std::lock_guard<std::mutex> lock(mutex_);
  responses_[path] = response;
}

void crl_server::serve_crl(const std::string& path, const std::string& der) {
  serve(path, http_response_text(200, der, {{"Content-Type", "application/pkix-crl"}}));
}

std::string crl_server::path_of(const std::string& target) {
  if (target.rfind("http://", 0) != 0) return target;
  auto slash = target.find('/', 7);
  return slash == std::string::npos ? "/" : target.substr(slash);
}

std::string crl_server::answer(const received_request& request) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = responses_.find(path_of(request.target));
  return it != responses_.end() ? it->second : http_response_text(404, "not here");
}

int crl_server::requests(const std::string& path) const {
  int n = 0;
  for (const auto& r : server_.requests())
    if (path_of(r.target) == path) ++n;
  return n;
}

std::vector<std::string> crl_server::targets() const {
  std::vector<std::string> out;
  for (const auto& r : server_.requests())
    out.push_back(r.target);
  return out;
}

}  // namespace em::test
