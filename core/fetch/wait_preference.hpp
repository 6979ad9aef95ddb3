#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace em {

// RFC 7240's `wait` preference, as SPEC 12's long-poll uses it: a client asks
// `Prefer: wait=<seconds>`, a server that honoured it answers
// `Preference-Applied: wait=<seconds>`.
//
// The `wait` value of one header field's text ("respond-async, wait=30";
// preference names compare case-insensitively, parameters after ';' are
// ignored), or nullopt when there is none or it is not a number of seconds.
// A value too large to represent is `ceiling`: the caller cuts it anyway.
std::optional<std::chrono::seconds> parse_wait_preference(
    const std::string& field, std::chrono::seconds ceiling = std::chrono::hours(24));

// "wait=<seconds>", the field value of both headers.
std::string wait_preference(std::chrono::seconds wait);

}  // namespace em
