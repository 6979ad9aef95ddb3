#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// The parts of a raw request URI ("/path?query" as on the request line) that
// rules look at, computed as nginx computes them, so the evaluator and an
// nginx in front of Exchange see the same strings.
namespace em::rules {

// Requests longer than this are refused before any rule (nginx's default
// large_client_header_buffers refuse them too): it bounds every match.
constexpr std::size_t max_request_uri = 8192;

// nginx's $uri: the path up to the first literal '?' or '#', %XX decoded
// once, "." and ".." segments resolved, runs of '/' merged (merge_slashes
// on, nginx's default). A decoded '/' or '.' takes part in the resolving
// as nginx does; %00, a bad %XX and ".." above the root are refused with
// em::invalid_input, as nginx answers them 400. `target` starts with '/'.
std::string normalized_path(std::string_view target);

// nginx's $args (IIS's QUERY_STRING): what follows the first literal '?' up
// to a '#', or "" when a '#' or nothing comes first.
std::string query_string(std::string_view target);

// IIS's UrlDecode, applied until nothing changes (at most
// url_decode_rounds times): every %XX with two hex digits becomes its byte,
// anything else (a lone '%', '+') stays. IIS decodes once; decoding again
// closes the double-encoding bypass (%2570 for 'p'): an Exchange front end
// that proxies the query onward decodes it a second time.
constexpr int url_decode_rounds = 8;
std::string url_decode(std::string_view text);

}  // namespace em::rules
