#include "core/store/store_copy.hpp"

#include "core/store/etcd/etcd_store.hpp"
#include "core/store/sqlite_store.hpp"
#include "core/util/error.hpp"

namespace em {

copy_summary copy_sqlite_to_etcd(const std::filesystem::path& sqlite_file, etcd_store& target) {
  std::error_code ec;
  // Opening would create an empty store: a typo must not copy nothing.
  if (!std::filesystem::is_regular_file(sqlite_file, ec))
    throw invalid_input("sqlite:" + sqlite_file.string() + ": no such store file");
  if (target.count_keys() > 0)
    throw invalid_input("the etcd prefix " + target.keys().prefix() +
                        " is not empty; copy into an empty prefix only (etcdctl del --prefix " +
                        target.keys().prefix() + " removes everything under it)");
  auto source = open_sqlite_store(sqlite_file);
  copy_summary out;
  const auto org = source->get_org();
  out.organization_id = org.organization_id;
  for (const auto& server : source->list_servers()) {
    const auto statuses = source->action_statuses(server.name);
    const auto document = source->load_document(server.name);
    const auto values = source->plugin_values(server.name);
    target.import_server(server, statuses, document, values);
    ++out.servers;
    out.statuses += statuses.size();
    out.documents += document ? 1 : 0;
    out.plugin_values += values.size();
  }
  const auto audit = source->audit_log();
  target.import_audit(audit);
  out.audit_entries = audit.size();
  // Last: an organisation key means the copy is whole.
  target.import_org(org);
  return out;
}

}  // namespace em
