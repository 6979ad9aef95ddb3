#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace em {

class etcd_store;

struct copy_summary {
  std::string organization_id;
  std::size_t servers = 0;
  std::size_t statuses = 0;
  std::size_t documents = 0;
  std::size_t plugin_values = 0;
  std::size_t audit_entries = 0;
};

// emctl store copy (SPEC 11): the whole of an existing SQLite store (the
// organisation, every server's settings, state, statuses, last document and
// plugin values, and the audit history with its users and times) into an
// etcd prefix that holds nothing yet. Throws em::invalid_input when the file
// does not exist or the prefix is not empty, and the stores' errors.
copy_summary copy_sqlite_to_etcd(const std::filesystem::path& sqlite_file, etcd_store& target);

}  // namespace em
