// Binding assignments: UPDATE's SET list (also ON CONFLICT DO UPDATE's and MERGE's), and
// assignment into part of a column's value there and in INSERT's column list (c[1], c.f,
// c.f[2:3]), as PostgreSQL's transformAssignmentIndirection binds it.
#include <algorithm>
#include <boost/json.hpp>

#include "common/array.h"
#include "common/errors.h"
#include "common/record.h"
#include "common/types.h"
#include "planner/agg_context.h"
#include "planner/binder.h"

namespace heliosdb::planner {

using exec::ExprPtr;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

void Binder::bind_assignments(const json::array& targets, const catalog::TableDef& table, const Scope& scope,
                              std::vector<std::pair<size_t, ExprPtr>>& out) {
  std::shared_ptr<exec::MultiAssignExpr::Source> multi_source;  // of the SET (...) = (SELECT ...) being bound
  for (const auto& t : targets) {
    const auto& rt = node_body(t);
    std::string name(str_field(rt, "name"));
    bool partial = !list_field(rt, "indirection").empty();
    const json::value* val = field(rt, "val");
    ExprPtr multi;  // SET (a, b) = (SELECT ...): this column's field of the sub-SELECT's row
    if (node_type(*val) == "MultiAssignRef") {
      // SET (a, b) = (x, y): this column's item of the row.
      const auto& m = node_body(*val);
      const json::value* src = field(m, "source");
      size_t colno = static_cast<size_t>(sql::int_field(m, "colno"));
      if (node_type(*src) == "SubLink") {
        if (colno == 1 || !multi_source) {
          multi_source = std::make_shared<exec::MultiAssignExpr::Source>();
          multi_source->row = bind_multiassign_select(node_body(*src), sql::int_field(m, "ncolumns"), scope);
        }
        const record::Shape* shape = record::shape_of(multi_source->row->type, multi_source->row->typmod);
        if (!shape || shape->size() < colno) raise(sqlstate::kInternalError, "multiple-column UPDATE source has no row shape");
        multi = std::make_unique<exec::MultiAssignExpr>(multi_source, colno - 1, colno == 1, shape->types[colno - 1],
                                                        shape->typmods[colno - 1]);
        val = src;
      } else if (node_type(*src) != "RowExpr")
        raise(sqlstate::kFeatureNotSupported,
              "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression");
      if (!multi) {
        const auto& args = list_field(node_body(*src), "args");
        if (static_cast<int64_t>(args.size()) != sql::int_field(m, "ncolumns"))
          raise(sqlstate::kSyntaxError, "number of columns does not match number of values");
        val = &args[colno - 1];
      }
    }
    auto bind_value = [&] { return multi ? std::move(multi) : bind_expr(*val, scope); };
    int idx = table.column_index(name);
    if (idx < 0) {
      Error e(sqlstate::kUndefinedColumn,
              fmt::format("column \"{}\" of relation \"{}\" does not exist", name, table.name));
      e.with_position(static_cast<int>(sql::int_field(rt, "location", -1)) + 1);
      throw e;
    }
    const auto& c = table.columns[static_cast<size_t>(idx)];
    // Earlier assignments to the column: only assignments to parts of it combine (PostgreSQL's
    // rewriter, process_matched_tle).
    auto earlier = std::ranges::find_if(out, [&](const auto& a) { return a.first == static_cast<size_t>(idx); });
    if (earlier != out.end() && (!partial || !dynamic_cast<exec::AssignPartsExpr*>(earlier->second.get())))
      raise(sqlstate::kSyntaxError, "multiple assignments to same column \"{}\"", name);
    if (partial) {
      if (node_type(*val) == "SetToDefault") refuse_default_part(rt);
      if (contains_aggregate(*val)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in UPDATE");
      ExprPtr whole;
      if (earlier != out.end()) whole = std::move(earlier->second);
      bind_assignment_parts(whole, std::make_unique<exec::ColumnExpr>(static_cast<size_t>(idx), c.type, c.typmod), c,
                            rt, bind_value(), scope);
      if (c.generated)
        throw Error(sqlstate::kGeneratedAlways, fmt::format("column \"{}\" can only be updated to DEFAULT", c.name))
            .with_detail(fmt::format("Column \"{}\" is a generated column.", c.name));
      if (earlier != out.end())
        earlier->second = std::move(whole);
      else
        out.emplace_back(static_cast<size_t>(idx), std::move(whole));
      continue;
    }
    ExprPtr e;
    if (c.generated && node_type(*val) != "SetToDefault")
      throw Error(sqlstate::kGeneratedAlways, fmt::format("column \"{}\" can only be updated to DEFAULT", c.name))
          .with_detail(fmt::format("Column \"{}\" is a generated column.", c.name));
    if (c.generated) {
      e = std::make_unique<exec::ConstExpr>(Value::null(c.type), c.typmod);  // the writer computes it
    } else if (node_type(*val) == "SetToDefault") {
      const std::string& def = column_default(c);
      e = def.empty() ? std::make_unique<exec::ConstExpr>(Value::null(c.type), c.typmod)
                      : bind_for_column(json::parse(def), c.type, c.typmod, c.name);
    } else {
      if (c.identity == 'a')
        throw Error(sqlstate::kGeneratedAlways, fmt::format("column \"{}\" can only be updated to DEFAULT", c.name))
            .with_detail(fmt::format("Column \"{}\" is an identity column defined as GENERATED ALWAYS.", c.name));
      if (contains_aggregate(*val)) raise(sqlstate::kGroupingError, "aggregate functions are not allowed in UPDATE");
      e = coerce_assignment(bind_value(), c.type, c.typmod, c.name);
    }
    out.emplace_back(static_cast<size_t>(idx), std::move(e));
  }
}

// The sub-SELECT of SET (a, b, ...) = (SELECT x, y, ...) as a scalar subquery of ROW(x, y, ...).
ExprPtr Binder::bind_multiassign_select(const json::object& sublink, int64_t columns, const Scope& scope) {
  json::value select = *field(sublink, "subselect");
  auto& body = select.as_object().begin()->value().as_object();
  if (str_field(body, "op") != "" && str_field(body, "op") != "SETOP_NONE")
    unsupported("UPDATE ... SET (a, b) = (SELECT ... UNION ...)");
  json::array& targets = body["targetList"].as_array();
  json::array items;
  for (const auto& rt : targets) {
    const json::value* v = field(node_body(rt), "val");
    if (node_type(*v) == "ColumnRef")
      for (const auto& f : list_field(node_body(*v), "fields"))
        if (node_type(f) == "A_Star") unsupported("UPDATE ... SET (a, b) = (SELECT * ...)");
    items.push_back(*v);
  }
  if (static_cast<int64_t>(items.size()) != columns) {
    Error e(sqlstate::kSyntaxError, "number of columns does not match number of values");
    throw at(e, static_cast<int>(sql::int_field(sublink, "location", -1)));
  }
  json::object row{{"RowExpr", json::object{{"args", std::move(items)}, {"row_format", "COERCE_IMPLICIT_CAST"}, {"location", -1}}}};
  targets = json::array{json::object{{"ResTarget", json::object{{"val", std::move(row)}, {"location", -1}}}}};
  json::object scalar{{"SubLink", json::object{{"subLinkType", "EXPR_SUBLINK"}, {"subselect", std::move(select)},
                                               {"location", sql::int_field(sublink, "location", -1)}}}};
  return bind_expr(scalar, scope);
}

void Binder::bind_assignment_parts(ExprPtr& slot, ExprPtr base, const catalog::ColumnDef& c,
                                   const json::object& res_target, ExprPtr value, const Scope& scope) {
  const auto& ind = list_field(res_target, "indirection");
  int location = static_cast<int>(sql::int_field(res_target, "location", -1));
  auto fail = [&](const char* state, std::string message) {
    Error e(state, std::move(message));
    throw at(e, location);
  };
  // PostgreSQL's transformAssignmentIndirection: each field selection and each run of
  // subscripts is one step into the value; `name` is what the step assigns to.
  exec::AssignPartsExpr::Target target;
  uint32_t type = c.type;
  int32_t typmod = c.typmod;
  std::string name = c.name;
  bool subscripted = false;
  std::string no_cast_back;
  for (size_t i = 0; i < ind.size();) {
    std::string_view kind = node_type(ind[i]);
    exec::AssignPartsExpr::Step step;
    step.type = type;
    if (kind == "A_Star") fail(sqlstate::kFeatureNotSupported, "row expansion via \"*\" is not supported here");
    if (kind == "String") {
      std::string f(string_node(ind[i]));
      const record::Shape* shape = type == oid::kRecord ? nullptr : record::shape_of(type, typmod);
      if (!shape)
        fail(sqlstate::kDatatypeMismatch,
             fmt::format("cannot assign to field \"{}\" of column \"{}\" because its type {} is not a composite type",
                         f, name, types::format_type(type, -1)));
      auto k = std::ranges::find(shape->names, f) - shape->names.begin();
      if (static_cast<size_t>(k) == shape->size())
        fail(sqlstate::kUndefinedColumn,
             fmt::format(
                 "cannot assign to field \"{}\" of column \"{}\" because there is no such column in data type {}", f,
                 name, types::format_type(type, -1)));
      step.field = static_cast<int>(k);
      step.shape = *shape;
      type = shape->types[static_cast<size_t>(k)];
      typmod = shape->typmods[static_cast<size_t>(k)];
      name = f;
      subscripted = false;
      target.path.push_back(std::move(step));
      ++i;
      continue;
    }
    size_t j = i;
    while (j < ind.size() && node_type(ind[j]) == "A_Indices") ++j;
    uint32_t elem = array::element_type(type);
    if (!elem)
      fail(sqlstate::kDatatypeMismatch, fmt::format("cannot subscript type {} because it does not support subscripting",
                                                    types::format_type(type, -1)));
    if (array::is_vector(type)) {
      // PostgreSQL subscripts int2vector and oidvector as int2[] and oid[], and then finds no
      // cast back for the column.
      uint32_t as_array = array::array_type_of(elem);
      no_cast_back =
          fmt::format("cannot cast type {} to {}", types::format_type(as_array, -1), types::format_type(type, -1));
      type = step.type = as_array;
    }
    check_subscript_count(j - i, location);
    for (size_t k = i; k < j; ++k) step.slice |= sql::bool_field(node_body(ind[k]), "is_slice");
    for (size_t k = i; k < j; ++k) {
      const auto& b = node_body(ind[k]);
      const auto* lidx = field(b, "lidx");
      const auto* uidx = field(b, "uidx");
      step.upper.push_back(uidx ? bind_subscript(*uidx, scope, location) : nullptr);
      // In a slice, a[n] is a[1:n].
      if (step.slice)
        step.lower.push_back(lidx                             ? bind_subscript(*lidx, scope, location)
                             : sql::bool_field(b, "is_slice") ? nullptr
                                                              : std::make_unique<exec::ConstExpr>(Value::int4(1)));
    }
    if (!step.slice) type = elem;  // a slice is of the array's type; either keeps its typmod
    subscripted = true;
    target.path.push_back(std::move(step));
    i = j;
  }
  try {
    target.value = coerce_assignment(std::move(value), type, typmod, name,
                                     subscripted ? AssignTarget::kSubscripted : AssignTarget::kSubfield);
  } catch (Error& e) {
    throw at(e, location);
  }
  if (!no_cast_back.empty()) fail(sqlstate::kCannotCoerce, no_cast_back);
  if (!slot) slot = std::make_unique<exec::AssignPartsExpr>(std::move(base));
  static_cast<exec::AssignPartsExpr&>(*slot).targets.push_back(std::move(target));
}

void Binder::refuse_default_part(const json::object& res_target) {
  bool element = node_type(list_field(res_target, "indirection")[0]) == "A_Indices";
  Error e(sqlstate::kFeatureNotSupported,
          element ? "cannot set an array element to DEFAULT" : "cannot set a subfield to DEFAULT");
  throw at(e, static_cast<int>(sql::int_field(res_target, "location", -1)));
}

}  // namespace heliosdb::planner
