#pragma once

// What the rewrite plugin keeps in the host's store per action, so rollback
// undoes exactly what apply did (SPEC 10): the file apply changed and what it
// found there before —
//   found = "absent":   the rule was not there; apply inserted it (and
//                       `created` says which sections or file it added,
//                       `location` the path of the <location> it went into);
//   found = "replaced": a same-named, different rule was; `original` holds
//                       its bytes exactly as they were, `location` the path
//                       of the <location> it is in (absent: the file's own
//                       section).
// No record: apply changed nothing (the rule was there, identical), so the
// rule is not the service's.

#include <filesystem>
#include <optional>
#include <string>

#include <emservice/plugin.hpp>

#include "plugins/common/stored_record.hpp"

namespace emrewrite {

// The reason an action fails on a host without the URL Rewrite module.
inline constexpr const char* module_missing = "the IIS URL Rewrite module is not installed";

std::string record_key(const emservice::action& a);
// Where an earlier version kept only the sections apply had created.
std::string legacy_created_key(const emservice::action& a, const std::filesystem::path& file);

emplugin::stored_record inserted_record(const std::filesystem::path& file,
                                        const std::string& created,
                                        const std::optional<std::string>& location = {});
emplugin::stored_record replaced_record(const std::filesystem::path& file,
                                        const std::optional<std::string>& location,
                                        const std::string& where, const std::string& original);

}  // namespace emrewrite
