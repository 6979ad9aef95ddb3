#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tests/support/net/scripted_server.hpp"

namespace em::test {

// A plain-HTTP CRL distribution point on 127.0.0.1 whose answers the test sets
// per path (a CRL, a 404, garbage) and changes while it runs. Requests in
// absolute form (http://host:port/path, as a client sends them to a proxy) are
// answered by path too, so the same server can stand in for a forward proxy.
class crl_server {
 public:
  crl_server();

  std::string url(const std::string& path) const { return server_.url(path); }

  // The raw HTTP answer for `path`; paths never set get a 404.
  void serve(const std::string& path, const std::string& response);
  void serve_crl(const std::string& path, const std::string& der);

  // How many requests asked for `path`, and the request targets as received.
  int requests(const std::string& path) const;
  std::vector<std::string> targets() const;

 private:
  static std::string path_of(const std::string& target);
  std::string answer(const received_request& request) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::string> responses_;
  scripted_server server_;  // last: its threads read responses_
};

}  // namespace em::test
