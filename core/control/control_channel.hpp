#pragma once

#include <string>

namespace em {

// The local control channel between emctl and emsd: a UNIX stream socket.
// A client sends one request line; the server answers with one status line
// followed by detail lines, then closes:
//
//   → check-now
//   ← OK Completed: 1 applied (0 new), …
//   ←   PING1.1 DoNothing: Applied
//
// Status words: OK, FAILED (the cycle ran and failed, or could not start),
// BUSY (a cycle is already running), DENIED (the caller may not ask).
namespace control {

inline constexpr const char* check_now = "check-now";

inline constexpr const char* ok = "OK";
inline constexpr const char* failed = "FAILED";
inline constexpr const char* busy = "BUSY";
inline constexpr const char* denied = "DENIED";

}  // namespace control
}  // namespace em
