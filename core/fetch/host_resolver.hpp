#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace em {

// The addresses of `host` (IPv4 and IPv6, as text), within `timeout`.
//
// getaddrinfo cannot be cancelled and Asio's resolver only checks for
// cancellation before it starts, so a hanging DNS server would hold the fetch
// past its deadline. The lookup runs on a thread of its own that is left to
// finish alone when the deadline passes; the caller returns on time.
//
// An IP address is returned as it is, with no lookup. Throws fetch_error:
// name_resolution when the name does not resolve, timeout when the lookup
// takes longer than `timeout`.
// `limit_name` names the limit in the timeout message ("connect timeout").
std::vector<std::string> resolve_host(const std::string& host, std::chrono::milliseconds timeout,
                                      const std::string& limit_name = "");

}  // namespace em
