#include "plugins/rewrite/rewrite_record.hpp"

namespace emrewrite {

std::string record_key(const emservice::action& a) {
  return "owner " + a.id;
}

std::string legacy_created_key(const emservice::action& a, const std::filesystem::path& file) {
  return "created " + a.id + " " + file.string();
}

emplugin::stored_record inserted_record(const std::filesystem::path& file,
                                        const std::string& created,
                                        const std::optional<std::string>& location) {
  emplugin::stored_record r;
  r.set("found", "absent");
  r.set("file", file.string());
  r.set("created", created);
  if (location) r.set("location", *location);
  return r;
}

emplugin::stored_record replaced_record(const std::filesystem::path& file,
                                        const std::optional<std::string>& location,
                                        const std::string& where, const std::string& original) {
  emplugin::stored_record r;
  r.set("found", "replaced");
  r.set("file", file.string());
  if (location) r.set("location", *location);
  r.set("where", where);
  r.set("original", original);
  return r;
}

}  // namespace emrewrite
