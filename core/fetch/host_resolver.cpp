#include "core/fetch/host_resolver.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/fetch/fetch_error.hpp"
#include "core/util/duration.hpp"

namespace em {
namespace {

// Shared by the caller and the lookup thread; the last one out frees it.
struct lookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<std::string> addresses;
  std::string error;
};

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

void run_lookup(const std::string& host, lookup& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
  std::vector<std::string> addresses;
  std::string error;
  if (rc != 0) {
    error = gai_strerror(rc);
  } else {
    for (auto* ai = list; ai; ai = ai->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      const void* addr =
          ai->ai_family == AF_INET
              ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
              : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
      if (inet_ntop(ai->ai_family, addr, text, sizeof text)) addresses.emplace_back(text);
    }
    ::freeaddrinfo(list);
    if (addresses.empty()) error = "no address";
  }
  std::lock_guard<std::mutex> lock(out.mutex);
  out.addresses = std::move(addresses);
  out.error = std::move(error);
  out.done = true;
  out.done_cv.notify_all();
}

}  // namespace

std::vector<std::string> resolve_host(const std::string& host, std::chrono::milliseconds timeout,
                                      const std::string& limit_name) {
  if (is_ip_literal(host)) return {host};
  auto state = std::make_shared<lookup>();
  std::thread([host, state] { run_lookup(host, *state); }).detach();
  std::unique_lock<std::mutex> lock(state->mutex);
  if (!state->done_cv.wait_for(lock, timeout, [&] { return state->done; }))
    throw fetch_error(fetch_failure::timeout,
                      "the DNS lookup of " + host + " did not finish within " +
                          format_duration(timeout) +
                          (limit_name.empty() ? "" : " (" + limit_name + ")"));
  if (!state->error.empty())
    throw fetch_error(fetch_failure::name_resolution, host + ": " + state->error);
  return state->addresses;
}

}  // namespace em
