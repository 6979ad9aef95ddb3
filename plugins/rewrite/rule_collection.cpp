#include "plugins/rewrite/rule_collection.hpp"

#include "plugins/common/plugin_error.hpp"
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

rule_collection::rule_collection(std::optional<std::string> bytes, std::string file,
                                 std::vector<std::string> path)
    : file_(std::move(file)), path_(std::move(path)) {
  if (bytes) source_ = emplugin::xml_source::parse(std::move(*bytes), file_);
  if (source_ && emplugin::name_of(source_->root()) != "configuration")
    throw plugin_error(file_ + " has root element <" + emplugin::name_of(source_->root()) +
                       ">, not <configuration>");
}

std::string rule_collection::where() const {
  return file_ + " (" + joined(path_, path_.size()) + ")";
}

const xmlNode* rule_collection::collection(const emplugin::xml_source& src) const {
  const xmlNode* node = src.root();
  for (const auto& step : path_)
    if (!(node = emplugin::first_child(node, step))) return nullptr;
  return node;
}

std::vector<xmlNode*> rule_collection::named(const xmlNode* collection,
                                             const std::string& name) const {
  std::vector<xmlNode*> out;
  for (xmlNode* r : emplugin::child_elements(collection, "rule"))
    if (emplugin::attribute(r, "name") == name) out.push_back(r);
  return out;
}

rule_state rule_collection::state(const url_rewrite_rule& rule) const {
  const xmlNode* coll = source_ ? collection(*source_) : nullptr;
  auto found = coll ? named(coll, rule.name()) : std::vector<xmlNode*>{};
  if (found.empty()) return rule_state::absent;
  if (found.size() > 1) return rule_state::duplicated;
  return rule.same_as(found[0]) ? rule_state::identical : rule_state::different;
}

file_edit rule_collection::with_rule(const url_rewrite_rule& rule) const {
  file_edit out;
  std::optional<emplugin::xml_source> fresh;
  if (!source_) {
    fresh = emplugin::xml_source::parse(empty_configuration, file_);
    out.created = "file";
  }
  const emplugin::xml_source& src = source_ ? *source_ : *fresh;
  emplugin::xml_editor edit(src);
  const std::string unit = src.indent_unit();
  const std::string label = "rule '" + rule.name() + "'";

  // The deepest part of the path that exists; the rest is created around the rule.
  const xmlNode* node = src.root();
  std::size_t depth = 0;
  for (; depth < path_.size(); ++depth) {
    const xmlNode* next = emplugin::first_child(node, path_[depth]);
    if (!next) break;
    node = next;
  }
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
    auto found = named(node, rule.name());
    if (src.span(node).self_closing) out.created = self_closing + edit.raw(node);
    if (found.empty()) {
      // Right after the last <clear/> (it would remove a rule above it), so
      // also before a comment that belongs to the first rule below it;
      // without one, before the first rule.
      const xmlNode* clear = nullptr;
      const xmlNode* first_rule = nullptr;
      for (const xmlNode* c : emplugin::child_elements(node)) {
        const std::string n = emplugin::name_of(c);
        if (n == "clear") clear = c;
        if (n == "rule" && !first_rule) first_rule = c;
      }
      if (clear)
        edit.insert_after(clear, rule.text(unit));
      else
        edit.insert_child(node, first_rule, rule.text(unit));
      out.summary = "inserted " + label + " into " + where();
    } else {
      const bool same = rule.same_as(found[0]);
      if (!same) edit.replace_element(found[0], rule.text(unit));
      for (std::size_t i = 1; i < found.size(); ++i)
        edit.remove_element(found[i]);
      out.summary = (same ? "kept " : "replaced ") + label + " in " + where() +
                    (found.size() > 1 ? " and removed its duplicates" : "");
    }
  }
  out.changed = edit.changed();
  if (out.changed) out.content = edit.result();
  return out;
}

file_edit rule_collection::without_rule(const std::string& name, const std::string& created) const {
  file_edit out;
  const xmlNode* coll = source_ ? collection(*source_) : nullptr;
  if (!coll) return out;
  auto found = named(coll, name);

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

}  // namespace emrewrite
