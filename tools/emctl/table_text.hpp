#pragma once

#include <string>
#include <vector>

namespace emctl {

// Columns padded to their widest cell, as PowerShell's Format-Table prints.
std::string table_text(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows);

// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled;
// lines end with CRLF.
std::string csv_text(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows);

}  // namespace emctl
