#include "planner/rules.h"

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <set>

#include "common/errors.h"
#include "common/types.h"
#include "sql/parser.h"

namespace heliosdb::planner {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

[[noreturn]] void not_supported(const std::string& what) { raise(sqlstate::kFeatureNotSupported, "{}", what); }

json::value str_node(const std::string& s) { return json::object{{"String", json::object{{"sval", s}}}}; }

json::value colref(const std::string& a, const std::string& b) {
  return json::object{{"ColumnRef", json::object{{"fields", json::array{str_node(a), str_node(b)}}, {"location", -1}}}};
}

json::value res_target(json::value val, const std::string& name = {}) {
  json::object r{{"val", std::move(val)}, {"location", -1}};
  if (!name.empty()) r["name"] = name;
  return json::object{{"ResTarget", std::move(r)}};
}

json::object select_body(json::array targets) {
  return json::object{{"targetList", std::move(targets)}, {"limitOption", "LIMIT_OPTION_DEFAULT"}, {"op", "SETOP_NONE"}};
}

json::value subselect(json::value select, const std::string& alias, bool lateral = false) {
  json::object r{{"subquery", std::move(select)}, {"alias", json::object{{"aliasname", alias}}}};
  if (lateral) r["lateral"] = true;
  return json::object{{"RangeSubselect", std::move(r)}};
}

json::value null_const() { return json::object{{"A_Const", json::object{{"isnull", true}, {"location", -1}}}}; }

json::value is_not_true(const json::value& cond) {
  return json::object{{"BooleanTest", json::object{{"arg", cond}, {"booltesttype", "IS_NOT_TRUE"}, {"location", -1}}}};
}

void add_qual(json::object& body, const json::value& qual) {
  if (qual.is_null()) return;
  if (const auto* w = body.if_contains("whereClause")) {
    body["whereClause"] = json::object{{"BoolExpr", json::object{{"boolop", "AND_EXPR"}, {"args", json::array{*w, qual}}, {"location", -1}}}};
  } else {
    body["whereClause"] = qual;
  }
}

// The column's type as a TypeName node (its domain when it has one).
json::value type_name(const catalog::ColumnDef& c) {
  std::string name = types::format_type_with_typmod(c.domain ? c.domain : c.type, c.typmod);
  auto parsed = sql::parse("SELECT NULL::" + name);
  const auto& target = node_body(list_field(parsed->statements[0].node->begin()->value().as_object(), "targetList")[0]);
  return node_body(*field(target, "val")).at("typeName");
}

json::value cast(json::value arg, const catalog::ColumnDef& c) {
  return json::object{{"TypeCast", json::object{{"arg", std::move(arg)}, {"typeName", type_name(c)}, {"location", -1}}}};
}

// The column's default (DEFAULT, serial, identity), or a NULL of its type.
json::value default_of(const catalog::Catalog& cat, const catalog::TableDef& t, const catalog::ColumnDef& c) {
  if (c.identity_seq) {
    auto seq = cat.sequence(c.identity_seq);
    if (!seq) not_supported("identity columns in rules");
    std::string qualified = sql::quote_ident(seq->schema) + "." + sql::quote_ident(seq->name);
    auto parsed = sql::parse("SELECT nextval(" + fmt::format("'{}'", qualified) + "::regclass)");
    const auto& target = node_body(list_field(parsed->statements[0].node->begin()->value().as_object(), "targetList")[0]);
    return cast(target.at("val"), c);
  }
  (void)t;
  if (!c.default_expr.empty() && !c.generated) return cast(json::parse(c.default_expr), c);
  return cast(null_const(), c);
}

bool is_new_old(const json::object& colref_body, std::string* which = nullptr) {
  const auto& fields = list_field(colref_body, "fields");
  if (fields.empty() || node_type(fields[0]) != "String") return false;
  std::string_view n = string_node(fields[0]);
  if (n != "new" && n != "old") return false;
  if (which) *which = std::string(n);
  return true;
}

// Replaces NEW.column and OLD.column (and NEW.*, OLD.* in lists) with the expressions given.
struct Substitution {
  const catalog::TableDef& table;
  char event;
  std::vector<json::value> new_exprs, old_exprs;
  bool used = false;

  const std::vector<json::value>& exprs(const std::string& which) {
    if (which == "new" && event == '4') raise(sqlstate::kInvalidObjectDefinition, "ON DELETE rule cannot use NEW");
    if (which == "old" && event == '3') raise(sqlstate::kInvalidObjectDefinition, "ON INSERT rule cannot use OLD");
    used = true;
    return which == "new" ? new_exprs : old_exprs;
  }

  static bool star(const json::value& v, std::string& which) {
    if (node_type(v) != "ColumnRef") return false;
    const auto& b = node_body(v);
    const auto& fields = list_field(b, "fields");
    return fields.size() == 2 && node_type(fields[1]) == "A_Star" && is_new_old(b, &which);
  }

  void apply(json::value& v) {
    if (v.is_array()) {
      json::array out;
      for (auto& x : v.as_array()) {
        std::string which;
        if (x.is_object() && star(x, which)) {
          for (const auto& e : exprs(which)) out.push_back(e);
          continue;
        }
        if (x.is_object() && node_type(x) == "ResTarget" && !field(node_body(x), "name") && field(node_body(x), "val") &&
            star(*field(node_body(x), "val"), which)) {
          const auto& es = exprs(which);
          for (size_t i = 0; i < es.size(); ++i) out.push_back(res_target(es[i], table.columns[i].name));
          continue;
        }
        apply(x);
        out.push_back(std::move(x));
      }
      v = std::move(out);
      return;
    }
    if (!v.is_object()) return;
    auto& o = v.as_object();
    if (auto* cr = o.if_contains("ColumnRef")) {
      std::string which;
      if (!is_new_old(cr->as_object(), &which)) return;
      const auto& fields = list_field(cr->as_object(), "fields");
      if (fields.size() < 2 || node_type(fields[1]) != "String") not_supported("whole-row NEW and OLD references in rules");
      std::string col(string_node(fields[1]));
      int i = table.column_index(col);
      if (i < 0) raise(sqlstate::kUndefinedColumn, "column {}.{} does not exist", which, col);
      json::value e = exprs(which)[static_cast<size_t>(i)];
      if (fields.size() > 2) {
        json::array ind;
        for (size_t k = 2; k < fields.size(); ++k) ind.push_back(fields[k]);
        e = json::object{{"A_Indirection", json::object{{"arg", std::move(e)}, {"indirection", std::move(ind)}}}};
      }
      v = std::move(e);
      return;
    }
    for (auto& kv : o) apply(kv.value());
  }
};

bool refers_to_new_old(const json::value& v) {
  if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (refers_to_new_old(x)) return true;
    return false;
  }
  if (!v.is_object()) return false;
  const auto& o = v.as_object();
  if (const auto* cr = o.if_contains("ColumnRef")) return is_new_old(cr->as_object());
  for (const auto& kv : o)
    if (refers_to_new_old(kv.value())) return true;
  return false;
}

std::string command_of(std::string_view type) {
  if (type == "InsertStmt") return "INSERT";
  if (type == "UpdateStmt") return "UPDATE";
  if (type == "DeleteStmt") return "DELETE";
  if (type == "SelectStmt") return "SELECT";
  return "NOTIFY";
}

// Adds the rule's row source (alias __rule) and condition to an action.
void attach_source(json::value& action, const json::value& source, const json::value& qual) {
  std::string type(node_type(action));
  auto& body = action.as_object().begin()->value().as_object();
  auto prepend = [&](json::object& o, const char* key) {
    json::array list{source};
    if (const auto* l = o.if_contains(key))
      for (const auto& x : l->as_array()) list.push_back(x);
    o[key] = std::move(list);
  };
  if (type == "UpdateStmt") {
    prepend(body, "fromClause");
    add_qual(body, qual);
  } else if (type == "DeleteStmt") {
    prepend(body, "usingClause");
    add_qual(body, qual);
  } else if (type == "SelectStmt") {
    if (str_field(body, "op") != "SETOP_NONE" && !str_field(body, "op").empty())
      not_supported("conditional UNION/INTERSECT/EXCEPT statements are not implemented");
    if (field(body, "valuesLists")) not_supported("VALUES as a rule action");
    prepend(body, "fromClause");
    add_qual(body, qual);
  } else if (type == "InsertStmt") {
    auto* sel = body.if_contains("selectStmt");
    if (!sel) not_supported("INSERT ... DEFAULT VALUES as the action of a rule that reads the original statement's rows");
    auto& s = sel->as_object().begin()->value().as_object();
    if (const auto* vl = s.if_contains("valuesLists")) {
      json::array rows = vl->as_array();
      for (const auto& r : rows)
        for (const auto& item : list_field(node_body(r), "items"))
          if (node_type(item) == "SetToDefault") not_supported("DEFAULT in the VALUES of a rule action");
      json::object sb;
      if (rows.size() == 1) {
        json::array targets;
        for (const auto& item : list_field(node_body(rows[0]), "items")) targets.push_back(res_target(item));
        sb = select_body(std::move(targets));
        sb["fromClause"] = json::array{source};
      } else {
        json::object values = select_body({});
        values.erase("targetList");
        values["valuesLists"] = std::move(rows);
        json::array star{json::object{{"ColumnRef", json::object{{"fields", json::array{str_node("__values"), json::object{{"A_Star", json::object{}}}}}, {"location", -1}}}}};
        sb = select_body(json::array{res_target(star[0])});
        sb["fromClause"] = json::array{source, subselect(json::object{{"SelectStmt", std::move(values)}}, "__values", true)};
      }
      if (const auto* w = s.if_contains("withClause")) sb["withClause"] = *w;
      add_qual(sb, qual);
      *sel = json::object{{"SelectStmt", std::move(sb)}};
    } else {
      if (str_field(s, "op") != "SETOP_NONE" && !str_field(s, "op").empty())
        not_supported("conditional UNION/INTERSECT/EXCEPT statements are not implemented");
      prepend(s, "fromClause");
      add_qual(s, qual);
    }
  }
}

// What the original statement gives the rules: its target, and the row source NEW / OLD read.
struct Original {
  std::string type;        // InsertStmt, UpdateStmt, DeleteStmt
  char event = '3';
  const json::object* body = nullptr;
  std::shared_ptr<const catalog::TableDef> table;
  std::string ref;         // how the statement names its target (alias or name)
  std::vector<json::value> new_exprs;  // NEW's columns in terms of the statement's own names
  std::vector<json::value> old_exprs;
  json::value source;      // SELECT of the rows: o1..ok (OLD), n1..nk (NEW)
  bool rows_from_source = false;  // the statement reads rows (so every action runs once per row)
  std::vector<int> position;      // INSERT: each column's place in the statement's column list, -1 if absent
};

Original describe(const catalog::Catalog& cat, const json::object& stmt) {
  Original o;
  o.type = std::string(stmt.begin()->key());
  o.body = &stmt.begin()->value().as_object();
  o.event = o.type == "InsertStmt" ? '3' : o.type == "UpdateStmt" ? '2' : '4';
  const auto& rv = field(*o.body, "relation")->as_object();
  o.table = cat.table(std::string(str_field(rv, "schemaname")), std::string(str_field(rv, "relname")));
  if (!o.table) return o;
  const auto* alias = field(rv, "alias");
  o.ref = alias ? std::string(str_field(alias->as_object(), "aliasname")) : std::string(str_field(rv, "relname"));
  return o;
}

// How many columns an INSERT's VALUES or SELECT gives.
size_t source_width(const json::object& insert, size_t table_width) {
  if (!list_field(insert, "cols").empty()) return list_field(insert, "cols").size();
  const json::value* sel = field(insert, "selectStmt");
  if (!sel) return table_width;
  const auto& s = node_body(*sel);
  const auto& vl = list_field(s, "valuesLists");
  if (!vl.empty()) return list_field(node_body(vl[0]), "items").size();
  if (str_field(s, "op") != "SETOP_NONE" && !str_field(s, "op").empty()) return table_width;
  size_t n = 0;
  for (const auto& t : list_field(s, "targetList")) {
    const json::value* v = field(node_body(t), "val");
    if (v && node_type(*v) == "ColumnRef" && node_type(list_field(node_body(*v), "fields").back()) == "A_Star") return table_width;
    ++n;
  }
  return n;
}

// Builds o's row source and NEW / OLD expressions (the table has rules for the event).
void build_source(const catalog::Catalog& cat, Original& o) {
  const catalog::TableDef& t = *o.table;
  size_t k = t.columns.size();
  json::array targets;
  if (o.type == "InsertStmt") {
    std::vector<int> position(k, -1);
    const auto& cols = list_field(*o.body, "cols");
    for (size_t j = 0; j < cols.size(); ++j) {
      const auto& rt = node_body(cols[j]);
      if (field(rt, "indirection")) not_supported("INSERT with subfield or subscript targets on a relation with rules");
      int i = t.column_index(str_field(rt, "name"));
      if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", str_field(rt, "name"), t.name);
      position[static_cast<size_t>(i)] = static_cast<int>(j);
    }
    if (cols.empty())
      for (size_t i = 0; i < k; ++i) position[i] = static_cast<int>(i);
    o.position = position;
    const json::value* sel = field(*o.body, "selectStmt");
    const json::array* single = nullptr;  // the one VALUES row
    json::value from;
    if (sel) {
      const auto& s = node_body(*sel);
      const auto& vl = list_field(s, "valuesLists");
      if (vl.size() == 1 && !field(s, "withClause")) {
        single = &list_field(node_body(vl[0]), "items");
      } else {
        json::value q = *sel;
        if (!vl.empty()) {  // DEFAULT in VALUES: the column's default
          auto& rows = q.as_object().begin()->value().as_object()["valuesLists"].as_array();
          for (auto& r : rows) {
            auto& items = r.as_object().begin()->value().as_object()["items"].as_array();
            for (size_t j = 0; j < items.size(); ++j)
              if (node_type(items[j]) == "SetToDefault") {
                size_t col = 0;
                while (col < k && position[col] != static_cast<int>(j)) ++col;
                items[j] = col < k ? default_of(cat, t, t.columns[col]) : null_const();
              }
          }
        }
        json::array names;
        size_t width = source_width(*o.body, k);
        for (size_t j = 0; j < width; ++j) names.push_back(str_node("c" + std::to_string(j + 1)));
        json::value sub = subselect(std::move(q), "__src");
        sub.as_object()["RangeSubselect"].as_object()["alias"].as_object()["colnames"] = std::move(names);
        from = std::move(sub);
        o.rows_from_source = true;
      }
    }
    for (size_t i = 0; i < k; ++i) {
      const auto& c = t.columns[i];
      json::value e;
      int j = position[i];
      if (j < 0 || !sel || static_cast<size_t>(j) >= source_width(*o.body, k)) e = default_of(cat, t, c);
      else if (single && static_cast<size_t>(j) < single->size())
        e = node_type((*single)[static_cast<size_t>(j)]) == "SetToDefault" ? default_of(cat, t, c) : cast((*single)[static_cast<size_t>(j)], c);
      else if (single) e = cast(null_const(), c);
      else e = cast(colref("__src", "c" + std::to_string(j + 1)), c);
      o.new_exprs.push_back(e);
      o.old_exprs.push_back(cast(null_const(), c));
      targets.push_back(res_target(e, "n" + std::to_string(i + 1)));
    }
    json::object sb = select_body(std::move(targets));
    if (!from.is_null()) sb["fromClause"] = json::array{from};
    o.source = json::object{{"SelectStmt", std::move(sb)}};
    return;
  }
  std::vector<json::value> set(k);
  if (o.type == "UpdateStmt") {
    for (const auto& x : list_field(*o.body, "targetList")) {
      const auto& rt = node_body(x);
      if (field(rt, "indirection")) not_supported("UPDATE of subfields or subscripts on a relation with rules");
      const json::value* val = field(rt, "val");
      if (!val || node_type(*val) == "MultiAssignRef") not_supported("UPDATE SET (...) = ... on a relation with rules");
      int i = t.column_index(str_field(rt, "name"));
      if (i < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", str_field(rt, "name"), t.name);
      const auto& c = t.columns[static_cast<size_t>(i)];
      set[static_cast<size_t>(i)] = node_type(*val) == "SetToDefault" ? default_of(cat, t, c) : cast(*val, c);
    }
  }
  if (const auto* w = field(*o.body, "whereClause"); w && node_type(*w) == "CurrentOfExpr")
    not_supported("WHERE CURRENT OF on a relation with rules");
  for (size_t i = 0; i < k; ++i) {
    o.old_exprs.push_back(colref(o.ref, t.columns[i].name));
    targets.push_back(res_target(o.old_exprs.back(), "o" + std::to_string(i + 1)));
  }
  for (size_t i = 0; i < k; ++i) {
    o.new_exprs.push_back(set[i].is_null() ? colref(o.ref, t.columns[i].name) : set[i]);
    if (o.type == "UpdateStmt") targets.push_back(res_target(o.new_exprs.back(), "n" + std::to_string(i + 1)));
  }
  json::object rv = field(*o.body, "relation")->as_object();
  json::array from{json::object{{"RangeVar", rv}}};
  for (const char* key : {"fromClause", "usingClause"})
    for (const auto& x : list_field(*o.body, key)) from.push_back(x);
  json::object sb = select_body(std::move(targets));
  sb["fromClause"] = std::move(from);
  if (const auto* w = field(*o.body, "whereClause")) sb["whereClause"] = *w;
  o.source = json::object{{"SelectStmt", std::move(sb)}};
  o.rows_from_source = field(*o.body, "whereClause") || !list_field(*o.body, "fromClause").empty() ||
                       !list_field(*o.body, "usingClause").empty();
}

Substitution source_substitution(const Original& o) {
  Substitution s{*o.table, o.event, {}, {}};
  for (size_t i = 0; i < o.table->columns.size(); ++i) {
    s.new_exprs.push_back(colref("__rule", (o.event == '4' ? "o" : "n") + std::to_string(i + 1)));
    s.old_exprs.push_back(colref("__rule", (o.event == '3' ? "n" : "o") + std::to_string(i + 1)));
  }
  return s;
}

json::value with_source_alias(const Original& o) { return subselect(o.source, "__rule"); }

struct Rewriter {
  const catalog::Catalog& cat;
  std::vector<std::pair<uint32_t, char>> events;  // relations and events being rewritten (recursion)

  std::vector<RewrittenStatement> rewrite(const json::value& stmt, char source, const std::string& command, bool returns_rows) {
    std::string type(node_type(stmt));
    if (type != "InsertStmt" && type != "UpdateStmt" && type != "DeleteStmt") return {{stmt, source, command, returns_rows}};
    Original o = describe(cat, stmt.as_object());
    std::vector<const catalog::RuleDef*> rules;
    if (o.table)
      for (const auto& r : o.table->rules)
        if (r.event == o.event) rules.push_back(&r);
    if (rules.empty()) return {{stmt, source, command, returns_rows}};
    for (const auto& e : events)
      if (e.first == o.table->id && e.second == o.event)
        raise(sqlstate::kInvalidObjectDefinition, "infinite recursion detected in rules for relation \"{}\"", o.table->name);
    if (o.type == "InsertStmt" && field(*o.body, "onConflictClause"))
      not_supported("INSERT with ON CONFLICT clause cannot be used with table that has INSERT or UPDATE rules");
    build_source(cat, o);
    events.emplace_back(o.table->id, o.event);
    const json::array& returning = list_field(*o.body, "returningList");
    const json::value* with = field(*o.body, "withClause");
    bool instead = false, returned = false;
    json::array inverted;  // conditional INSTEAD rules' conditions, for the original
    std::vector<RewrittenStatement> actions;
    for (const auto* r : rules) {
      json::value qual = r->qual.empty() ? json::value() : json::parse(r->qual);
      char qsrc = r->instead ? (qual.is_null() ? 'i' : 'q') : 'a';
      json::value rule_actions = json::parse(r->actions);
      for (const auto& a : rule_actions.as_array()) {
        json::value action = a;
        std::string atype(node_type(action));
        RewrittenStatement out{{}, qsrc, command_of(atype), false};
        if (atype != "NotifyStmt") {
          auto& body = action.as_object().begin()->value().as_object();
          if (with) {  // the original statement's WITH queries, before the action's own
            json::array ctes = list_field(with->as_object(), "ctes");
            if (const auto* aw = body.if_contains("withClause"))
              for (const auto& c : list_field(aw->as_object(), "ctes")) ctes.push_back(c);
            json::object w = with->as_object();
            w["ctes"] = std::move(ctes);
            body["withClause"] = std::move(w);
          }
          Substitution s = source_substitution(o);
          json::value q = qual;
          if (!q.is_null()) s.apply(q);
          s.apply(action);
          if (s.used || !q.is_null() || o.rows_from_source) attach_source(action, with_source_alias(o), q);
          auto& b = action.as_object().begin()->value().as_object();
          if (b.if_contains("returningList") && !list_field(b, "returningList").empty()) {
            if (returning.empty()) {
              b.erase("returningList");
            } else {
              if (returned) not_supported("cannot have RETURNING lists in multiple rules");
              returned = true;
              action = returning_select(o, std::move(action), returning);
              out.returns_rows = true;
            }
          }
        }
        out.tree = std::move(action);
        auto more = rewrite(out.tree, out.source, out.command, out.returns_rows);
        for (auto& m : more) actions.push_back(std::move(m));
      }
      if (r->instead && qual.is_null()) instead = true;
      else if (r->instead) {
        if (o.event != '3') {
          Substitution s{*o.table, o.event, o.new_exprs, o.old_exprs};
          s.apply(qual);
        }
        inverted.push_back(is_not_true(qual));
      }
    }
    events.pop_back();
    if ((instead || !inverted.empty()) && !returning.empty() && !returned) {
      const char* what = o.event == '3' ? "INSERT" : o.event == '2' ? "UPDATE" : "DELETE";
      throw Error(sqlstate::kFeatureNotSupported, fmt::format("cannot perform {} RETURNING on relation \"{}\"", what, o.table->name))
          .with_hint(fmt::format("You need an unconditional ON {} DO INSTEAD rule with a RETURNING clause.", what));
    }
    std::vector<RewrittenStatement> out;
    if (!instead) {
      json::value original = stmt;
      if (!inverted.empty()) original = with_inverted(o, stmt, inverted);
      RewrittenStatement orig{std::move(original), source, command_of(type), !returning.empty()};
      if (o.event == '3') out.push_back(std::move(orig));
      for (auto& a : actions) out.push_back(std::move(a));
      if (o.event != '3') out.push_back(std::move(orig));
    } else {
      out = std::move(actions);
    }
    return out;
  }

  // WITH __ret AS (action RETURNING ...) SELECT <the original's RETURNING> FROM __ret AS target(columns).
  static json::value returning_select(const Original& o, json::value action, const json::array& returning) {
    auto& body = action.as_object().begin()->value().as_object();
    json::array ctes;
    json::object with{{"ctes", json::array{}}};
    if (const auto* w = body.if_contains("withClause")) {
      with = w->as_object();
      ctes = list_field(with, "ctes");
      body.erase("withClause");
    }
    ctes.push_back(json::object{{"CommonTableExpr", json::object{{"ctename", "__ret"}, {"ctequery", std::move(action)},
                                                                  {"ctematerialized", "CTEMaterializeDefault"}, {"location", -1}}}});
    with["ctes"] = std::move(ctes);
    json::array names;
    for (const auto& c : o.table->columns) names.push_back(str_node(c.name));
    json::object rv{{"relname", "__ret"}, {"inh", true}, {"relpersistence", "p"},
                    {"alias", json::object{{"aliasname", o.ref}, {"colnames", std::move(names)}}}, {"location", -1}};
    json::object sb = select_body(returning);
    sb["fromClause"] = json::array{json::object{{"RangeVar", std::move(rv)}}};
    sb["withClause"] = std::move(with);
    return json::object{{"SelectStmt", std::move(sb)}};
  }

  // The original statement limited to the rows no conditional INSTEAD rule took.
  json::value with_inverted(const Original& o, const json::value& stmt, const json::array& inverted) {
    json::value out = stmt;
    auto& body = out.as_object().begin()->value().as_object();
    json::value cond = inverted.size() == 1 ? inverted[0]
                       : json::object{{"BoolExpr", json::object{{"boolop", "AND_EXPR"}, {"args", inverted}, {"location", -1}}}};
    if (o.type != "InsertStmt") {
      add_qual(body, cond);
      return out;
    }
    // INSERT: the rows of its VALUES / SELECT, those the conditions do not take.
    const json::value* sel = field(body, "selectStmt");
    if (!sel) not_supported("INSERT ... DEFAULT VALUES on a relation with conditional DO INSTEAD rules");
    for (const auto& r : list_field(node_body(*sel), "valuesLists"))
      for (const auto& item : list_field(node_body(r), "items"))
        if (node_type(item) == "SetToDefault") not_supported("DEFAULT in VALUES on a relation with conditional DO INSTEAD rules");
    size_t width = source_width(body, o.table->columns.size());
    // SELECT __src.c... FROM (source) __src(c...) WHERE conditions, NEW read from __src.
    Substitution s{*o.table, o.event, {}, o.old_exprs};
    for (size_t i = 0; i < o.table->columns.size(); ++i) {
      int j = o.position[i];
      s.new_exprs.push_back(j < 0 || static_cast<size_t>(j) >= width ? default_of(cat, *o.table, o.table->columns[i])
                                                                       : cast(colref("__src", "c" + std::to_string(j + 1)), o.table->columns[i]));
    }
    json::value c = cond;
    s.apply(c);
    json::array targets, names;
    for (size_t j = 0; j < width; ++j) {
      targets.push_back(res_target(colref("__src", "c" + std::to_string(j + 1))));
      names.push_back(str_node("c" + std::to_string(j + 1)));
    }
    json::value src = subselect(*sel, "__src");
    src.as_object()["RangeSubselect"].as_object()["alias"].as_object()["colnames"] = std::move(names);
    json::object sb = select_body(std::move(targets));
    sb["fromClause"] = json::array{std::move(src)};
    add_qual(sb, c);
    body["selectStmt"] = json::object{{"SelectStmt", std::move(sb)}};
    return out;
  }
};

}  // namespace

std::optional<std::vector<RewrittenStatement>> rewrite_rules(const catalog::Catalog& cat, const json::object& stmt, bool in_with) {
  std::string type(stmt.begin()->key());
  if (type != "InsertStmt" && type != "UpdateStmt" && type != "DeleteStmt") return std::nullopt;
  Original o = describe(cat, stmt);
  if (!o.table) return std::nullopt;
  bool any = false;
  for (const auto& r : o.table->rules) any = any || r.event == o.event;
  if (!any) return std::nullopt;
  Rewriter rw{cat, {}};
  std::string type0(stmt.begin()->key());
  auto out = rw.rewrite(json::value(stmt), 'o', command_of(type0), !list_field(stmt.begin()->value().as_object(), "returningList").empty());
  if (in_with) {
    if (out.empty()) not_supported("DO INSTEAD NOTHING rules are not supported for data-modifying statements in WITH");
    if (out.size() > 1) {
      for (const auto& s : out) {
        if (s.source == 'q') not_supported("conditional DO INSTEAD rules are not supported for data-modifying statements in WITH");
        if (s.source == 'a') not_supported("DO ALSO rules are not supported for data-modifying statements in WITH");
      }
      not_supported("multi-statement DO INSTEAD rules are not supported for data-modifying statements in WITH");
    }
    if (out[0].command == "NOTIFY") not_supported("DO INSTEAD NOTIFY rules are not supported for data-modifying statements in WITH");
  }
  return out;
}

std::vector<json::value> rule_actions_for_check(const catalog::TableDef& t, char event, const json::value* qual,
                                                const json::array& actions) {
  // A one-row source of NULLs of the columns' types stands for the rows.
  json::array targets;
  Substitution s{t, event, {}, {}};
  for (size_t i = 0; i < t.columns.size(); ++i) {
    targets.push_back(res_target(cast(null_const(), t.columns[i]), "o" + std::to_string(i + 1)));
    targets.push_back(res_target(cast(null_const(), t.columns[i]), "n" + std::to_string(i + 1)));
    s.new_exprs.push_back(colref("__rule", "n" + std::to_string(i + 1)));
    s.old_exprs.push_back(colref("__rule", "o" + std::to_string(i + 1)));
  }
  json::value source = subselect(json::object{{"SelectStmt", select_body(std::move(targets))}}, "__rule");
  json::value q = qual ? *qual : json::value();
  if (!q.is_null()) s.apply(q);
  std::vector<json::value> out;
  for (const auto& a : actions) {
    json::value action = a;
    if (node_type(action) == "NotifyStmt") continue;
    // NEW / OLD in the action's WITH queries.
    const auto& body = node_body(action);
    if (const auto* w = field(body, "withClause"))
      for (const auto& c : list_field(w->as_object(), "ctes")) {
        json::value cq = *field(node_body(c), "ctequery");
        if (refers_to_new_old(cq)) {
          std::string which;
          std::function<void(const json::value&)> find = [&](const json::value& v) {
            if (!which.empty()) return;
            if (v.is_array()) for (const auto& x : v.as_array()) find(x);
            if (!v.is_object()) return;
            if (const auto* cr = v.as_object().if_contains("ColumnRef")) { is_new_old(cr->as_object(), &which); return; }
            for (const auto& kv : v.as_object()) find(kv.value());
          };
          find(cq);
          for (auto& ch : which) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          not_supported(fmt::format("cannot refer to {} within WITH query", which));
        }
      }
    s.apply(action);
    attach_source(action, source, q);
    out.push_back(std::move(action));
  }
  return out;
}

}  // namespace heliosdb::planner
