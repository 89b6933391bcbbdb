// GROUPING SETS, ROLLUP and CUBE as a union of plain GROUP BYs (see agg_context.h).
#include <boost/json.hpp>
#include <functional>

#include "common/errors.h"
#include "executor/functions.h"
#include "planner/agg_context.h"

namespace heliosdb::planner {

using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

using Set = std::vector<json::value>;  // a grouping set: its expressions

// A grouping unit of ROLLUP/CUBE: (a, b) groups as one, anything else alone.
Set unit(const json::value& item) {
  if (node_type(item) == "RowExpr") {
    Set s;
    for (const auto& a : list_field(node_body(item), "args")) s.push_back(a);
    return s;
  }
  return {item};
}

Set concat(const Set& a, const Set& b) {
  Set s = a;
  s.insert(s.end(), b.begin(), b.end());
  return s;
}

// The grouping sets one GROUP BY item stands for.
std::vector<Set> expand(const json::value& item) {
  if (node_type(item) != "GroupingSet") return {unit(item)};
  const auto& g = node_body(item);
  std::string kind(str_field(g, "kind"));
  const auto& content = list_field(g, "content");
  if (kind == "GROUPING_SET_EMPTY") return {Set{}};
  if (kind == "GROUPING_SET_SIMPLE") return {Set(content.begin(), content.end())};
  std::vector<Set> out;
  if (kind == "GROUPING_SET_ROLLUP") {
    for (size_t n = content.size() + 1; n-- > 0;) {
      Set s;
      for (size_t i = 0; i < n; ++i) s = concat(s, unit(content[i]));
      out.push_back(std::move(s));
    }
  } else if (kind == "GROUPING_SET_CUBE") {
    if (content.size() > 12) raise(sqlstate::kProgramLimitExceeded, "CUBE is limited to 12 elements");
    size_t n = content.size();
    for (size_t mask = (size_t{1} << n); mask-- > 0;) {  // the full set first
      Set s;
      for (size_t i = 0; i < n; ++i)
        if (mask & (size_t{1} << (n - 1 - i))) s = concat(s, unit(content[i]));
      out.push_back(std::move(s));
    }
  } else {  // GROUPING SETS (...)
    for (const auto& c : content)
      for (auto& s : expand(c)) out.push_back(std::move(s));
  }
  return out;
}

// Expressions compare as written, but for their positions in the text and for qualifiers of
// column names.
json::value normalized(const json::value& v) {
  if (v.is_array()) {
    json::array a;
    for (const auto& x : v.as_array()) a.push_back(normalized(x));
    return a;
  }
  if (!v.is_object()) return v;
  const auto& o = v.as_object();
  if (const auto* cr = o.if_contains("ColumnRef")) {
    const auto& f = list_field(cr->as_object(), "fields");
    return json::object{{"ColumnRef", f.empty() ? json::value() : json::value(f.back())}};
  }
  json::object out;
  for (const auto& kv : o)
    if (kv.key() != "location") out[kv.key()] = normalized(kv.value());
  return out;
}
std::string key_of(const json::value& v) { return json::serialize(normalized(v)); }

// Rewrites an expression of the query for one grouping set: GROUPING(...) becomes its bitmask,
// grouping expressions outside the set NULL (but not inside aggregate calls, which read rows).
void rewrite(json::value& v, const std::vector<std::string>& all, const std::vector<std::string>& in_set) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) rewrite(x, all, in_set);
    return;
  }
  if (!v.is_object()) return;
  auto& o = v.as_object();
  if (auto* gf = o.if_contains("GroupingFunc")) {
    const auto& args = list_field(gf->as_object(), "args");
    if (args.size() > 31) raise(sqlstate::kTooManyArguments, "GROUPING must have fewer than 32 arguments");
    int64_t mask = 0;
    for (const auto& a : args) {
      std::string k = key_of(a);
      if (std::find(all.begin(), all.end(), k) == all.end())
        raise(sqlstate::kGroupingError, "arguments to GROUPING must be grouping expressions of the associated query level");
      mask = mask << 1 | (std::find(in_set.begin(), in_set.end(), k) == in_set.end() ? 1 : 0);
    }
    v = json::object{{"A_Const", json::object{{"ival", json::object{{"ival", mask}}}}}};
    return;
  }
  if (const auto* fc = o.if_contains("FuncCall")) {
    if (is_aggregate_call(fc->as_object())) return;
  }
  if (o.contains("SubLink")) return;
  std::string k = key_of(v);
  if (std::find(all.begin(), all.end(), k) != all.end() && std::find(in_set.begin(), in_set.end(), k) == in_set.end()) {
    // NULL of the expression's type: (array_agg(expr) FILTER (WHERE false))[1], which a grouped
    // query may say of any expression.
    json::value agg = json::object{{"FuncCall", json::object{{"funcname", json::array{json::object{{"String", json::object{{"sval", "array_agg"}}}}}},
                                                            {"args", json::array{v}},
                                                            {"agg_filter", json::object{{"A_Const", json::object{{"boolval", json::object{}}}}}},
                                                            {"funcformat", "COERCE_EXPLICIT_CALL"}}}};
    v = json::object{{"A_Indirection", json::object{{"arg", agg},
                                                    {"indirection", json::array{json::object{{"A_Indices", json::object{{"uidx",
                                                        json::object{{"A_Const", json::object{{"ival", json::object{{"ival", 1}}}}}}}}}}}}}}};
    return;
  }
  for (auto& kv : o) rewrite(kv.value(), all, in_set);
}

}  // namespace

bool expand_grouping_sets(const json::object& s, json::object& out) {
  const auto& group = list_field(s, "groupClause");
  bool any = false;
  for (const auto& g : group) any |= node_type(g) == "GroupingSet";
  if (!any) return false;
  // The sets: the product of what each item stands for.
  std::vector<Set> sets{Set{}};
  for (const auto& g : group) {
    std::vector<Set> next;
    for (const auto& a : sets)
      for (const auto& b : expand(g)) next.push_back(concat(a, b));
    sets = std::move(next);
  }
  if (sets.size() > 4096) raise(sqlstate::kProgramLimitExceeded, "too many grouping sets present (maximum 4096)");
  std::vector<std::string> all;
  for (const auto& set : sets)
    for (const auto& e : set)
      if (std::find(all.begin(), all.end(), key_of(e)) == all.end()) all.push_back(key_of(e));

  json::value branches;
  for (const auto& set : sets) {
    json::object b = s;
    b.erase("sortClause");
    b.erase("limitCount");
    b.erase("limitOffset");
    std::vector<std::string> in_set;
    json::array groups;
    for (const auto& e : set) {
      std::string k = key_of(e);
      if (std::find(in_set.begin(), in_set.end(), k) == in_set.end()) {
        in_set.push_back(k);
        groups.push_back(e);
      }
    }
    // A query of aggregates with no grouping columns still groups (one row, even of no rows).
    if (groups.empty()) b.erase("groupClause");
    else b["groupClause"] = std::move(groups);
    // Output columns keep their names when their expression reads NULL here.
    if (auto* targets = b.if_contains("targetList")) {
      for (auto& t : targets->as_array()) {
        auto& rt = t.as_object()["ResTarget"].as_object();
        json::value* val = rt.if_contains("val");
        if (val && !rt.contains("name") && node_type(*val) == "ColumnRef") {
          const auto& f = list_field(node_body(*val), "fields");
          if (!f.empty() && node_type(f.back()) == "String") rt["name"] = string_node(f.back());
        }
        if (val && !rt.contains("name") && node_type(*val) == "GroupingFunc") rt["name"] = "grouping";
        if ((val = rt.if_contains("val"))) rewrite(*val, all, in_set);  // again: naming may move the members
      }
    }
    if (auto* having = b.if_contains("havingClause")) rewrite(*having, all, in_set);
    json::value branch = json::object{{"SelectStmt", std::move(b)}};
    if (branches.is_null()) {
      branches = std::move(branch);
    } else {
      branches = json::object{{"SelectStmt", json::object{{"op", "SETOP_UNION"}, {"all", true}, {"larg", node_body(branches)},
                                                          {"rarg", node_body(branch)}, {"limitOption", "LIMIT_OPTION_DEFAULT"}}}};
    }
  }
  out = node_body(branches);
  for (const char* k : {"sortClause", "limitCount", "limitOffset", "limitOption"})
    if (const auto* v = s.if_contains(k)) out[k] = *v;
  return true;
}

}  // namespace heliosdb::planner
