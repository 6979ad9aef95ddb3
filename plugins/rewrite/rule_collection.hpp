#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plugins/common/xml_source.hpp"
#include "plugins/rewrite/url_rewrite_rule.hpp"

namespace emrewrite {

enum class rule_state { absent, identical, different, duplicated };

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

// The URL Rewrite rules of one configuration file (a web.config, or
// applicationHost.config for globalRules) at `path` below <configuration>.
// Changes touch only the rule concerned and the sections it needs; the rest
// of the file stays byte for byte.
class rule_collection {
 public:
  // `bytes` is nothing when the file does not exist.
  rule_collection(std::optional<std::string> bytes, std::string file,
                  std::vector<std::string> path);

  rule_state state(const url_rewrite_rule& rule) const;

  // The rule, once, identical: inserted before the other rules (after any
  // <clear/>, which would drop it), or in place of a same-named different one.
  file_edit with_rule(const url_rewrite_rule& rule) const;

  // Without any rule of that name, and without the sections `created` says
  // apply added, when nothing else came to live in them.
  file_edit without_rule(const std::string& name, const std::string& created) const;

  std::string where() const;  // "<file> (system.webServer/rewrite/rules)"

 private:
  const xmlNode* collection(const emplugin::xml_source& src) const;
  std::vector<xmlNode*> named(const xmlNode* collection, const std::string& name) const;

  std::optional<emplugin::xml_source> source_;
  std::string file_;
  std::vector<std::string> path_;
};

}  // namespace emrewrite
