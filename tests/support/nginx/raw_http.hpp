#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace em::test {

// What a server did with one request.
struct raw_answer {
  bool answered = false;  // false: the connection closed without a byte (nginx's 444)
  int status = 0;
  std::string body;
  std::string text;  // everything received
};

// Sends "<method> <target> HTTP/1.1" with a Host header, `headers` and
// "Connection: close" to 127.0.0.1:<port>, exactly as given (no encoding, no
// normalisation), and reads the answer to its end.
raw_answer send_raw(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& host = "mail.contoso.com",
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Free TCP port on 127.0.0.1 (bound and released: a server may still race for it).
std::uint16_t free_port();

}  // namespace em::test
