#include "plugins/rewrite/rule_collection.hpp"

#include "plugins/common/plugin_error.hpp"
#include "plugins/common/text_util.hpp"
#include "plugins/common/xml_editor.hpp"

namespace emrewrite {
namespace {

using emplugin::plugin_error;

// Marks a created value: the collection was an empty element such as
// <rules />, written back as it was when the last rule leaves.
const std::string self_closing = "self-closing:";

// What a web.config that apply had to create starts as.
const std::string empty_configuration =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n</configuration>\n";

std::string joined(const std::vector<std::string>& path, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < path.size(); ++i)
    out += (i ? "/" : "") + path[i];
  return out;
}

// The element at `path` below `from`, or null.
const xmlNode* below(const xmlNode* from, const std::vector<std::string>& path) {
  const xmlNode* node = from;
  for (const auto& step : path)
    if (!(node = emplugin::first_child(node, step))) return nullptr;
  return node;
}

bool named(const xmlNode* e, const std::string& name) {
  return emplugin::iequals(emplugin::attribute(e, "name").value_or(""), name);
}

// Nothing but whitespace and the elements in `going` (no comment, no other element, no attribute).
bool empty_without(const xmlNode* e, const std::vector<xmlNode*>& going) {
  if (e->properties || emplugin::has_text(e)) return false;
  for (const xmlNode* c = e->children; c; c = c->next) {
    if (c->type == XML_COMMENT_NODE) return false;
    if (c->type != XML_ELEMENT_NODE) continue;
    bool leaving = false;
    for (const xmlNode* g : going)
      leaving = leaving || g == c;
    if (!leaving) return false;
  }
  return true;
}

}  // namespace

rule_collection::rule_collection(const emplugin::xml_source* source, std::string file,
                                 std::vector<std::string> path, std::optional<std::string> location)
    : source_(source),
      file_(std::move(file)),
      path_(std::move(path)),
      location_(std::move(location)) {}

std::optional<std::string> rule_collection::home(const emplugin::xml_source* source,
                                                 const std::vector<std::string>& path) {
  if (!source || below(source->root(), path)) return std::nullopt;
  for (const xmlNode* l : emplugin::child_elements(source->root(), "location")) {
    const std::string where = emplugin::trim(emplugin::attribute(l, "path").value_or(""));
    if ((where.empty() || where == ".") && below(l, path))
      return emplugin::attribute(l, "path").value_or("");
  }
  return std::nullopt;
}

std::string rule_collection::where() const {
  return file_ + " (" + (location_ ? "<location path=\"" + *location_ + "\"> " : std::string()) +
         joined(path_, path_.size()) + ")";
}

const xmlNode* rule_collection::root() const {
  if (!source_) return nullptr;
  if (!location_) return source_->root();
  for (const xmlNode* l : emplugin::child_elements(source_->root(), "location"))
    if (emplugin::attribute(l, "path").value_or("") == *location_ && below(l, path_)) return l;
  return nullptr;
}

const xmlNode* rule_collection::collection() const {
  return below(root(), path_);
}

file_edit rule_collection::with_new_rule(const url_rewrite_rule& rule) const {
  file_edit out;
  std::optional<emplugin::xml_source> fresh;
  if (!source_) {
    fresh = emplugin::xml_source::parse(empty_configuration, file_);
    out.created = "file";
  }
  const emplugin::xml_source& src = source_ ? *source_ : *fresh;
  emplugin::xml_editor edit(src);
  const std::string label = "rule '" + rule.name() + "'";

  // The deepest part of the path that exists; the rest is created around the rule.
  const xmlNode* node = source_ ? root() : src.root();
  if (!node) throw plugin_error("internal: no <location> of " + where() + " to add the rule to");
  std::size_t depth = 0;
  for (; depth < path_.size(); ++depth) {
    const xmlNode* next = emplugin::first_child(node, path_[depth]);
    if (!next) break;
    node = next;
  }
  // One level of indentation as the file writes it there.
  const std::string unit = src.indent_step(node);
  if (depth < path_.size()) {
    emplugin::element_text text = rule.text(unit);
    for (std::size_t j = path_.size(); j-- > depth;) {
      emplugin::element_text wrapped{"<" + path_[j] + ">"};
      for (auto& line : text)
        wrapped.push_back(unit + line);
      wrapped.push_back("</" + path_[j] + ">");
      text = std::move(wrapped);
    }
    edit.insert_child(node, nullptr, text);
    if (out.created.empty()) out.created = joined(path_, depth + 1);
    out.summary = "inserted " + label + " into " + where() + ", adding <" + path_[depth] + ">";
  } else {
    if (src.span(node).self_closing) out.created = self_closing + edit.raw(node);
    // After the last <clear/> or <remove> of this name (either would drop a
    // rule above it), so also before a comment that belongs to the first
    // rule below it; without one, before the first rule.
    const xmlNode* after = nullptr;
    const xmlNode* first_rule = nullptr;
    for (const xmlNode* c : emplugin::child_elements(node)) {
      const std::string n = emplugin::name_of(c);
      if (n == "clear" || (n == "remove" && named(c, rule.name()))) after = c;
      if (n == "rule" && !first_rule) first_rule = c;
    }
    if (after)
      edit.insert_after(after, rule.text(unit));
    else
      edit.insert_child(node, first_rule, rule.text(unit));
    out.summary = "inserted " + label + " into " + where();
  }
  out.changed = edit.changed();
  if (out.changed) out.content = edit.result();
  return out;
}

file_edit rule_collection::without_rule(const std::string& name, const std::string& created) const {
  file_edit out;
  const xmlNode* coll = collection();
  if (!coll) return out;
  std::vector<xmlNode*> found;
  for (xmlNode* r : emplugin::child_elements(coll, "rule"))
    if (named(r, name)) found.push_back(r);

  // How far up rollback may remove what apply added: to the outermost new element.
  std::size_t created_depth = path_.size();
  if (created == "file") created_depth = 0;
  for (std::size_t d = 1; d <= path_.size(); ++d)
    if (created == joined(path_, d)) created_depth = d - 1;

  const xmlNode* top = nullptr;
  if (created_depth < path_.size() && empty_without(coll, found)) {
    top = coll;
    for (std::size_t j = path_.size() - 1; j > created_depth; --j) {
      const xmlNode* parent = top->parent;
      if (!empty_without(parent, {const_cast<xmlNode*>(top)})) break;
      top = parent;
    }
  }
  emplugin::xml_editor edit(*source_);
  const bool was_empty_element = created.rfind(self_closing, 0) == 0 && empty_without(coll, found);
  if (was_empty_element)
    edit.replace_raw(coll, created.substr(self_closing.size()));
  else if (top)
    edit.remove_element(top);
  else
    for (const xmlNode* r : found)
      edit.remove_element(r);
  out.changed = edit.changed();
  if (!out.changed) return out;
  out.content = edit.result();
  out.delete_file = created == "file" && out.content == empty_configuration;
  const std::string rule = "rule '" + name + "'";
  const std::string added = top ? "the <" + emplugin::name_of(top) + "> apply had added" : "";
  std::string summary = found.empty() ? rule + " was already gone from " + where()
                                      : "removed " + rule + " from " + where();
  if (top) summary += found.empty() ? "; removed " + added : ", with " + added;
  if (was_empty_element) summary += "; closed the empty <" + emplugin::name_of(coll) + "> again";
  out.summary = summary;
  return out;
}

file_edit with_rule_at(const emplugin::xml_source& source, const url_rewrite_rule& rule,
                       const xmlNode* keeper, const std::vector<const xmlNode*>& others) {
  emplugin::xml_editor edit(source);
  if (!rule.same_as(keeper)) edit.replace_element(keeper, rule.text(source.indent_step(keeper)));
  for (const xmlNode* r : others)
    edit.remove_element(r);
  file_edit out;
  out.changed = edit.changed();
  if (out.changed) out.content = edit.result();
  return out;
}

file_edit with_bytes_at(const emplugin::xml_source& source, const xmlNode* current,
                        const std::string& original) {
  emplugin::xml_editor edit(source);
  if (edit.raw(current) != original) edit.replace_raw(current, original);
  file_edit out;
  out.changed = edit.changed();
  if (out.changed) out.content = edit.result();
  return out;
}

}  // namespace emrewrite
