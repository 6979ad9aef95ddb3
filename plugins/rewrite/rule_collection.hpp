#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plugins/common/xml_source.hpp"
#include "plugins/rewrite/url_rewrite_rule.hpp"

namespace emrewrite {

// A planned change of one configuration file.
struct file_edit {
  bool changed = false;
  std::string content;  // the whole new file
  // What the edit created, for rollback to undo: "" (nothing), "file", the
  // path of the outermost new element ("system.webServer/rewrite"), or
  // "self-closing:<rules />" when an empty collection element was opened up.
  std::string created;
  bool delete_file = false;  // rollback: the file is only what apply created
  std::string summary;       // what changes, for the log
};

// One URL Rewrite rule collection of a file (a web.config's, or
// applicationHost.config's globalRules) at `path` below <configuration>, or
// below one of its <location> elements. Changes touch only the rule concerned
// and the sections it needs; the rest of the file stays byte for byte.
class rule_collection {
 public:
  // `source` is the parsed file, or null when it does not exist; `location`
  // the path attribute (as written) of the <location> the collection is in,
  // or nothing for the file's own section.
  rule_collection(const emplugin::xml_source* source, std::string file,
                  std::vector<std::string> path, std::optional<std::string> location = {});

  // Where a new rule goes in this file: the collection of its own section,
  // unless only a <location> without a path has one (IIS refuses a section
  // defined twice for one path, so none is added beside it): then that one.
  static std::optional<std::string> home(const emplugin::xml_source* source,
                                         const std::vector<std::string>& path);

  // The rule added: after the last <clear/> (it would drop a rule above it)
  // or <remove> of its name, else before the first rule, so it is evaluated
  // before site rules that could stop processing. Missing sections are
  // created around it; `created` says which.
  file_edit with_new_rule(const url_rewrite_rule& rule) const;

  // Without any rule of that name, and without the sections `created` says
  // apply added, when nothing else came to live in them.
  file_edit without_rule(const std::string& name, const std::string& created) const;

  std::string where() const;  // "<file> (system.webServer/rewrite/rules)"

 private:
  const xmlNode* root() const;  // <configuration>, or the <location>
  const xmlNode* collection() const;

  const emplugin::xml_source* source_;
  std::string file_;
  std::vector<std::string> path_;
  std::optional<std::string> location_;
};

// `keeper` (a rule of `source`) made the rule, where it stands; `others` (the
// same name, elsewhere in the file) removed.
file_edit with_rule_at(const emplugin::xml_source& source, const url_rewrite_rule& rule,
                       const xmlNode* keeper, const std::vector<const xmlNode*>& others);

// `current` (a rule of `source`) replaced by `original`, the bytes it had
// before apply replaced it.
file_edit with_bytes_at(const emplugin::xml_source& source, const xmlNode* current,
                        const std::string& original);

}  // namespace emrewrite
