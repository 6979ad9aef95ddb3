#pragma once

#include <string>
#include <vector>

namespace em {

// A setting's text as Get-ExchangeServer | Format-List shows it; emctl prints
// it and the admin audit log records old → new in the same form.
std::string setting_text(bool value);                           // True, False
std::string setting_text(const std::vector<std::string>& ids);  // {M1, M2.1}, {}

// A MitigationsBlocked entry: a Config ID (M1) or an action ID (M1.2).
bool is_valid_blocked_id(const std::string& id);

// An InternetWebProxy value: http:// or https://, a host (name, IPv4 or
// [IPv6]), an optional port 1-65535 and an optional trailing "/"; no user
// info, so no password ever lands in the store or its audit log.
bool is_valid_proxy_url(const std::string& url);

}  // namespace em
