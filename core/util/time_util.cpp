#include "core/util/time_util.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace em {
namespace {

bool digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

int num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i)
    v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::optional<sys_time> parse_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  if (!digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2) || s[13] != ':' ||
      !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = num(s, 0, 4) - 1900;
  tm.tm_mon = num(s, 5, 2) - 1;
  tm.tm_mday = num(s, 8, 2);
  tm.tm_hour = num(s, 11, 2);
  tm.tm_min = num(s, 14, 2);
  tm.tm_sec = num(s, 17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  size_t pos = 19;
  long long millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])))
      ++pos;
    if (pos == start) return std::nullopt;
    int scale = 100;
    for (size_t i = start; i < pos && i < start + 3; ++i, scale /= 10)
      millis += (s[i] - '0') * scale;
  }
  if (pos >= s.size()) return std::nullopt;
  long offset_seconds = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    if (!digits(s, pos + 1, 2) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2))
      return std::nullopt;
    // RFC 3339's time-numoffset: hours 00-23, minutes 00-59.
    if (num(s, pos + 1, 2) > 23 || num(s, pos + 4, 2) > 59) return std::nullopt;
    int sign = s[pos] == '-' ? -1 : 1;
    offset_seconds = sign * (num(s, pos + 1, 2) * 3600L + num(s, pos + 4, 2) * 60L);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  // timegm normalises out-of-range days (Feb 31); compare back to refuse them.
  std::tm check = tm;
  std::time_t t = timegm(&check);
  if (t == static_cast<std::time_t>(-1) || check.tm_mday != tm.tm_mday) return std::nullopt;
  // sys_time counts nanoseconds in 64 bits: about 1678 to 2262. A date past
  // that would overflow inside std::chrono; refuse it as malformed.
  constexpr std::time_t latest = 9'000'000'000;  // 2255-03-14
  constexpr std::time_t earliest = -9'000'000'000;
  std::time_t utc = t - offset_seconds;
  if (utc > latest || utc < earliest) return std::nullopt;
  return std::chrono::system_clock::from_time_t(utc) + std::chrono::milliseconds(millis);
}

std::string format_rfc3339(sys_time t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string format_rfc3339_ms(sys_time t) {
  auto since = t.time_since_epoch();
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since - secs).count();
  if (ms < 0) ms += 1000;  // times before 1970 are not expected, keep the field well-formed
  std::time_t tt = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

}  // namespace em
