// Binding expressions: names, literals, operators, functions, casts, CASE, subqueries.
#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "catalog/system_views.h"
#include "common/array.h"
#include "common/record.h"
#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "executor/functions.h"
#include "planner/agg_context.h"
#include "planner/binder.h"

namespace heliosdb::planner {

using exec::ExprPtr;
using sql::field;
using sql::int_field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

int loc_of(const json::object& n) { return static_cast<int>(int_field(n, "location", -1)); }

std::string type_name(uint32_t t) { return types::format_type(t, -1); }

// A bound expression that reads no column of the current row.
bool row_independent(const exec::Expr& e) {
  if (dynamic_cast<const exec::ColumnExpr*>(&e)) return false;
  if (auto* f = dynamic_cast<const exec::FuncExpr*>(&e)) {
    for (const auto& a : f->args)
      if (!row_independent(*a)) return false;
    return true;
  }
  if (auto* c = dynamic_cast<const exec::CastExpr*>(&e)) return row_independent(*c->arg);
  return dynamic_cast<const exec::ConstExpr*>(&e) || dynamic_cast<const exec::ParamExpr*>(&e) ||
         dynamic_cast<const exec::OuterColumnExpr*>(&e);
}

}  // namespace

bool expr_is_row_independent(const exec::Expr& e) { return row_independent(e); }

Binder::Binder(const catalog::Catalog& catalog, std::string_view sql, std::vector<uint32_t> param_types,
               const types::TextContext* text)
    : catalog_(catalog), sql_(sql), text_(text ? text : &types::default_text_context()),
      param_types_(std::move(param_types)) {}

std::pair<uint32_t, int32_t> Binder::resolve_type(const json::object& tn, uint32_t* domain) {
  if (domain) *domain = 0;
  const auto& names = list_field(tn, "names");
  std::string name;
  for (const auto& n : names) name = std::string(string_node(n));
  std::string schema = names.size() >= 2 ? std::string(string_node(names[names.size() - 2])) : "";
  // The grammar writes char as pg_catalog.bpchar; a name "char" was quoted: the one-byte type.
  std::optional<uint32_t> t;
  if (schema.empty() || schema == "pg_catalog") t = name == "char" ? std::optional<uint32_t>(oid::kChar) : types::lookup(name);
  if (!t && schema != "pg_catalog") {
    if (auto ut = catalog_.type(schema, name); !ut) {
      // A table's or view's name is also its row type's.
      if (auto table = catalog_.table(schema, name)) t = catalog::row_type_oid(table->id);
    }
  }
  if (!t && schema != "pg_catalog") {
    if (auto ut = catalog_.type(schema, name)) {
      if (ut->kind == 'd') {
        if (!list_field(tn, "arrayBounds").empty()) unsupported("arrays of domains");
        if (!list_field(tn, "typmods").empty())
          raise(sqlstate::kSyntaxError, "type modifier is not allowed for type \"{}\"", ut->name);
        if (domain) *domain = ut->id;
        return {ut->base_type, ut->base_typmod};
      }
      t = ut->id;
    } else if (!schema.empty()) {
      raise(sqlstate::kUndefinedObject, "type \"{}.{}\" does not exist", schema, name);
    }
  }
  if (!t) {
    if (name == "serial" || name == "bigserial" || name == "smallserial" || name == "serial4" || name == "serial8")
      raise(sqlstate::kUndefinedObject, "type \"{}\" does not exist", name);
    Error e = make_error(sqlstate::kUndefinedObject, "type \"{}\" does not exist", name);
    throw at(e, loc_of(tn));
  }
  std::vector<int32_t> mods;
  for (const auto& m : list_field(tn, "typmods")) {
    if (node_type(m) != "A_Const") raise(sqlstate::kSyntaxError, "type modifiers must be simple constants or identifiers");
    mods.push_back(static_cast<int32_t>(sql::const_ival(node_body(m), sql_)));
  }
  int32_t typmod = types::make_typmod(*t, mods.data(), static_cast<int>(mods.size()));
  // int[], int[3][3], int ARRAY: the array type (its sizes are not enforced, as in PostgreSQL).
  if (!list_field(tn, "arrayBounds").empty()) {
    uint32_t atype = array::array_type_of(*t);
    if (!atype) raise(sqlstate::kUndefinedObject, "could not find array type for data type {}", types::format_type(*t, -1));
    return {atype, typmod};
  }
  return {*t, typmod};
}

ExprPtr Binder::coerce(ExprPtr e, uint32_t type, int32_t typmod, bool explicit_cast, int location) {
  if (e->type == type && (typmod < 0 || e->typmod == typmod)) return e;
  if (auto* row = dynamic_cast<exec::RowExpr*>(e.get()); row && row->type != type) {
    // ROW(...) as a composite type: each field coerced to its attribute's type.
    if (const record::Shape* shape = record::shape_of(type, typmod); shape && type != oid::kRecord) {
      if (row->items.size() != shape->size()) {
        Error err(sqlstate::kCannotCoerce, fmt::format("cannot cast type {} to {}", type_name(row->type), type_name(type)));
        err.with_detail(row->items.size() < shape->size() ? "Input has too few columns." : "Input has too many columns.");
        throw at(err, location);
      }
      const types::CompositeType* c = types::composite_of(type);
      for (size_t i = 0; i < shape->size(); ++i) {
        row->items[i] = coerce(std::move(row->items[i]), shape->types[i], shape->typmods[i], explicit_cast, location);
        if (uint32_t d = c ? c->domain(i) : 0) row->items[i] = domain_check(std::move(row->items[i]), d);
      }
      return std::make_unique<exec::RowExpr>(type, -1, shape->names, std::move(row->items));
    }
  }
  // An untyped parameter takes the type the context wants.
  if (auto* p = dynamic_cast<exec::ParamExpr*>(e.get()); p && e->type == oid::kUnknownType) {
    if (p->number >= 1) {
      if (param_types_.size() < static_cast<size_t>(p->number)) param_types_.resize(p->number, 0);
      param_types_[p->number - 1] = type;
    }
    p->type = type;
    if (typmod < 0) return e;
  }
  // An unknown literal is parsed straight into the wanted type (errors point at it).
  if (auto* c = dynamic_cast<exec::ConstExpr*>(e.get()); c && e->type == oid::kUnknownType) {
    try {
      // An explicit cast cuts a string to its length ('abcd'::varchar(3) is 'abc'); input refuses it.
      bool cut = explicit_cast && (type == oid::kVarchar || type == oid::kBpchar);
      Value v = c->value.is_null() ? Value::null(type)
                : cut ? types::apply_typmod(types::parse_text(type, c->value.as_string(), -1, *text_), typmod, true)
                      : types::parse_text(type, c->value.as_string(), typmod, *text_);
      return std::make_unique<exec::ConstExpr>(std::move(v), typmod);
    } catch (Error& err) {
      throw at(err, location);
    }
  }
  if (e->type == type) return std::make_unique<exec::CastExpr>(std::move(e), type, typmod, explicit_cast);
  if (!explicit_cast && !exec::can_coerce_implicit(e->type, type)) {
    Error err(sqlstate::kDatatypeMismatch, fmt::format("cannot cast type {} to {}", type_name(e->type), type_name(type)));
    throw at(err, location);
  }
  if (explicit_cast && !exec::can_cast(e->type, type)) {
    Error err(sqlstate::kCannotCoerce, fmt::format("cannot cast type {} to {}", type_name(e->type), type_name(type)));
    throw at(err, location);
  }
  return std::make_unique<exec::CastExpr>(std::move(e), type, typmod, explicit_cast);
}

namespace {
bool arithmetic_type(uint32_t t) {
  return t == oid::kInt2 || t == oid::kInt4 || t == oid::kInt8 || t == oid::kFloat4 || t == oid::kFloat8 ||
         t == oid::kNumeric || t == oid::kBool;
}
}  // namespace

ExprPtr Binder::coerce_assignment(ExprPtr e, uint32_t type, int32_t typmod, const std::string& colname,
                                  AssignTarget target) {
  uint32_t from = e->type;
  const auto* fi = types::find(from);
  const auto* ti = types::find(type);
  bool ok = from == oid::kUnknownType || exec::can_coerce_implicit(from, type) ||
            (fi && ti && fi->category == ti->category) || types::is_string(type) ||
            (from == oid::kInt4 && type == oid::kBool) || (from == oid::kJson && type == oid::kJsonb) ||
            (exec::can_cast(from, type) && (types::is_timestamp(from) || from == oid::kDate) && ti &&
             ti->category == types::Category::kDateTime) ||
            (dynamic_cast<exec::RowExpr*>(e.get()) && type != oid::kRecord && record::is_record(type));  // ROW(...)
  if (!ok || (from == oid::kBool && type != oid::kBool && !types::is_string(type))) {
    std::string to = types::format_type(type, -1), have = types::format_type(from, -1);
    std::string message =
        target == AssignTarget::kSubscripted
            ? fmt::format("subscripted assignment to \"{}\" requires type {} but expression is of type {}", colname, to,
                          have)
        : target == AssignTarget::kSubfield
            ? fmt::format("subfield \"{}\" is of type {} but expression is of type {}", colname, to, have)
            : fmt::format("column \"{}\" is of type {} but expression is of type {}", colname, to, have);
    throw Error(sqlstate::kDatatypeMismatch, message).with_hint("You will need to rewrite or cast the expression.");
  }
  if (from == type && typmod < 0) return e;
  if (from == oid::kUnknownType) return coerce(std::move(e), type, typmod, false);  // read as input
  // Assignment casts may convert what implicit ones may not, but a type modifier applies as on
  // input: a varchar(3) column refuses 'abcd'::varchar (22001) where an explicit cast cuts it.
  e = coerce(std::move(e), type, typmod, true);
  auto* c = dynamic_cast<exec::CastExpr*>(e.get());
  if (!c) return e;
  c->explicit_ = false;
  // A constant number cast to a number type is folded as PostgreSQL's planner folds it: out of
  // range fails the statement before it runs (before a DEFAULT's nextval() is called).
  if (folding_ && c->arg->is_const() && arithmetic_type(c->type) && arithmetic_type(c->arg->type)) {
    exec::ExecContext ctx;
    if (text_) ctx.text = *text_;
    try {
      Value v = c->eval({}, ctx);
      return std::make_unique<exec::ConstExpr>(std::move(v), c->typmod);
    } catch (const Error& err) {
      if (!plan_error_) plan_error_ = err;
    }
  }
  return e;
}

ExprPtr Binder::make_condition(ExprPtr e, const char* clause) {
  if (e->type == oid::kBool) return e;
  if (e->type == oid::kUnknownType) return coerce(std::move(e), oid::kBool, -1, false);
  raise(sqlstate::kDatatypeMismatch, "argument of {} must be type boolean, not type {}", clause, type_name(e->type));
}

ExprPtr Binder::make_operator(const std::string& op, ExprPtr l, ExprPtr r, int location) {
  std::vector<uint32_t> types;
  if (l) types.push_back(l->type);
  types.push_back(r->type);
  // Both sides untyped: PostgreSQL resolves them as text where the operator takes text.
  if (std::all_of(types.begin(), types.end(), [](uint32_t t) { return t == oid::kUnknownType; }) &&
      exec::unknown_arguments_ambiguous(op, types.size())) {
    Error err(sqlstate::kAmbiguousFunction, l ? fmt::format("operator is not unique: unknown {} unknown", op)
                                              : fmt::format("operator is not unique: {} unknown", op));
    err.with_hint("Could not choose a best candidate operator. You might need to add explicit type casts.");
    throw at(err, location);
  }
  const exec::FuncDef* f = exec::resolve_function(op, types);
  if (!f) {
    std::string sig = l ? fmt::format("{} {} {}", type_name(l->type), op, type_name(r->type))
                        : fmt::format("{} {}", op, type_name(r->type));
    Error err(sqlstate::kUndefinedFunction, "operator does not exist: " + sig);
    err.with_hint("No operator matches the given name and argument types. You might need to add explicit type casts.");
    throw at(err, location);
  }
  std::vector<ExprPtr> args;
  if (l) args.push_back(std::move(l));
  args.push_back(std::move(r));
  return make_call(f, std::move(args), location);
}

ExprPtr Binder::make_call(const exec::FuncDef* f, std::vector<ExprPtr> args, int location, bool variadic_array) {
  std::vector<uint32_t> types;
  for (const auto& a : args) types.push_back(a->type);
  uint32_t elem = exec::polymorphic_element(*f, types);
  auto concrete = [&](uint32_t want) -> uint32_t {
    if (want != oid::kAnyArray && want != oid::kAnyElement && want != types::kAnyEnum) return want;
    if (!elem) {
      Error err(sqlstate::kDatatypeMismatch, "could not determine polymorphic type because input has type unknown");
      throw at(err, location);
    }
    if (want == oid::kAnyElement || want == types::kAnyEnum) return elem;
    uint32_t atype = array::array_type_of(elem);
    if (!atype) raise(sqlstate::kUndefinedObject, "could not find array type for data type {}", type_name(elem));
    return atype;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    uint32_t want = concrete(f->args[std::min(i, f->args.size() - 1)]);
    if (variadic_array && i + 1 == args.size()) {
      // The VARIADIC array: of the parameter's array type ("any" takes any array as it is).
      if (want != exec::kAnyType && want != exec::kAnyNonArray)
        args[i] = coerce(std::move(args[i]), array::array_type_of(want), -1, false, location);
      continue;
    }
    if (want == oid::kRecord) {
      // Any record stays as it is; an unknown literal reads as record, which fails as in PostgreSQL.
      if (args[i]->type == oid::kUnknownType) args[i] = coerce(std::move(args[i]), oid::kRecord, -1, false, location);
    } else if (want == exec::kAnyType || want == exec::kAnyNonArray) {
      if (args[i]->type == oid::kUnknownType) args[i] = coerce(std::move(args[i]), oid::kText, -1, false, location);
    } else {
      args[i] = coerce(std::move(args[i]), want, -1, false, location);
    }
  }
  uint32_t ret = f->ret == exec::kAnyType ? args[0]->type : concrete(f->ret);
  auto call = std::make_unique<exec::FuncExpr>(f, std::move(args), ret);
  call->variadic_array = variadic_array;
  return fold(std::move(call));
}

ExprPtr Binder::fold(std::unique_ptr<exec::FuncExpr> e) {
  // Only arithmetic on constants: its result depends on nothing but the arguments (no
  // settings, no clock), so a cached plan stays right.
  if (!folding_ || e->def->volatile_ || !arithmetic_type(e->type)) return e;
  for (const auto& a : e->args)
    if (!a->is_const() || !arithmetic_type(a->type)) return e;
  exec::ExecContext ctx;
  if (text_) ctx.text = *text_;
  try {
    Value v = e->eval({}, ctx);
    return std::make_unique<exec::ConstExpr>(std::move(v), e->typmod);
  } catch (const Error& err) {
    if (!plan_error_) plan_error_ = err;
    return e;
  }
}

ExprPtr Binder::bind_const(const json::object& n) {
  if (sql::bool_field(n, "isnull")) return std::make_unique<exec::ConstExpr>(Value::null(oid::kUnknownType));
  if (const auto* v = field(n, "sval")) {
    std::string s(str_field(v->as_object(), "sval"));
    return std::make_unique<exec::ConstExpr>(Value::of(oid::kUnknownType, std::move(s)));
  }
  if (field(n, "ival")) {
    int64_t i = sql::const_ival(n, sql_);
    return std::make_unique<exec::ConstExpr>(Value::int4(static_cast<int32_t>(i)));
  }
  if (const auto* v = field(n, "fval")) {
    std::string s(str_field(v->as_object(), "fval"));
    // An integer literal too large for int4 is int8, then numeric (PostgreSQL's make_const).
    bool integral = s.find_first_of(".eE") == std::string::npos;
    if (integral) {
      try {
        size_t pos = 0;
        long long x = std::stoll(s, &pos);
        if (pos == s.size()) return std::make_unique<exec::ConstExpr>(Value::int8(x));
      } catch (...) {
      }
    }
    return std::make_unique<exec::ConstExpr>(types::parse_text(oid::kNumeric, s, -1, types::default_text_context()));
  }
  if (const auto* v = field(n, "boolval")) {
    return std::make_unique<exec::ConstExpr>(Value::boolean(sql::bool_field(v->as_object(), "boolval")));
  }
  if (field(n, "bsval")) unsupported("bit string literals");
  return std::make_unique<exec::ConstExpr>(Value::null(oid::kUnknownType));
}

ExprPtr Binder::bind_column_ref(const json::object& n, const Scope& scope) {
  const auto& fields = list_field(n, "fields");
  std::string rel, name;
  if (fields.size() == 1) {
    if (node_type(fields[0]) == "A_Star") raise(sqlstate::kSyntaxError, "* is not allowed here");
    name = std::string(string_node(fields[0]));
  } else if (fields.size() == 2) {
    rel = std::string(string_node(fields[0]));
    if (node_type(fields[1]) == "A_Star") {  // t.* as a value: the whole row
      try {
        return whole_row(rel, scope, 0);
      } catch (Error& e) {
        throw at(e, loc_of(n));
      }
    }
    name = std::string(string_node(fields[1]));
  } else if (fields.size() == 3) {
    rel = std::string(string_node(fields[1]));
    name = std::string(string_node(fields[2]));
  } else {
    unsupported("this column reference");
  }
  int depth = 0;
  for (const Scope* s = &scope; s; s = s->parent, ++depth) {
    int found = -1;
    bool rel_seen = false;
    for (size_t i = 0; i < s->columns.size(); ++i) {
      const auto& c = s->columns[i];
      if (!rel.empty()) {
        if (c.relation != rel) continue;
        rel_seen = true;
      }
      if (c.name != name || (c.hidden && !c.system && !(c.qualified && !rel.empty()))) continue;
      if (found >= 0) {
        Error e(sqlstate::kAmbiguousColumn, fmt::format("column reference \"{}\" is ambiguous", name));
        throw at(e, loc_of(n));
      }
      found = static_cast<int>(i);
    }
    if (found >= 0) {
      const auto& c = s->columns[static_cast<size_t>(found)];
      if (depth == 0) return std::make_unique<exec::ColumnExpr>(static_cast<size_t>(found), c.type, c.typmod);
      ++outer_refs_;
      return std::make_unique<exec::OuterColumnExpr>(static_cast<size_t>(found), c.type, c.typmod, depth);
    }
    if (!rel.empty() && rel_seen) {
      Error e(sqlstate::kUndefinedColumn, fmt::format("column {}.{} does not exist", rel, name));
      throw at(e, loc_of(n));
    }
  }
  if (rel.empty()) {
    // A FROM item's name alone: its whole row.
    for (const Scope* s = &scope; s; s = s->parent)
      for (const auto& c : s->columns)
        if (c.relation == name && !c.hidden) return whole_row(name, scope, 0);
  }
  if (!rel.empty()) {
    bool any = false;
    for (const Scope* s = &scope; s; s = s->parent)
      for (const auto& c : s->columns) any |= c.relation == rel;
    if (!any) {
      Error e(sqlstate::kUndefinedTable, fmt::format("missing FROM-clause entry for table \"{}\"", rel));
      throw at(e, loc_of(n));
    }
  }
  Error e(sqlstate::kUndefinedColumn, fmt::format("column \"{}\" does not exist", name));
  throw at(e, loc_of(n));
}

namespace {
// PostgreSQL's make_row_comparison_op over n pairs (pair(op, k) compares the k-th): = and <>
// pair by pair; < <= > >= lexicographically (the first pair that differs decides).
ExprPtr row_comparison(const std::string& op, size_t n, const std::function<ExprPtr(const std::string&, size_t)>& pair) {
  auto combine = [](exec::BoolOp bop, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return ExprPtr(std::make_unique<exec::BoolExpr>(bop, std::move(args)));
  };
  if (op == "=" || op == "<>") {
    ExprPtr acc = pair(op, 0);
    for (size_t k = 1; k < n; ++k) acc = combine(op == "=" ? exec::BoolOp::kAnd : exec::BoolOp::kOr, std::move(acc), pair(op, k));
    return acc;
  }
  if (op != "<" && op != "<=" && op != ">" && op != ">=")
    unsupported(fmt::format("row comparison with operator {}", op));
  std::string strict = op.substr(0, 1);
  ExprPtr acc = pair(op, n - 1);
  for (size_t k = n - 1; k-- > 0;)
    acc = combine(exec::BoolOp::kOr, pair(strict, k), combine(exec::BoolOp::kAnd, pair("=", k), std::move(acc)));
  return acc;
}
}  // namespace

// (a, b) op (c, d), as PostgreSQL compares rows.
ExprPtr Binder::bind_row_comparison(const std::string& op, const json::object& l, const json::object& r, const Scope& scope,
                                    int location) {
  const auto& la = list_field(l, "args");
  const auto& ra = list_field(r, "args");
  if (la.size() != ra.size()) {
    Error e(sqlstate::kSyntaxError, "unequal number of entries in row expressions");
    throw at(e, location);
  }
  if (la.empty()) unsupported("comparison of empty rows");
  return row_comparison(op, la.size(), [&](const std::string& o, size_t k) {
    return make_operator(o, bind_expr(la[k], scope), bind_expr(ra[k], scope), location);
  });
}

ExprPtr Binder::bind_a_expr(const json::object& n, const Scope& scope) {
  std::string kind(str_field(n, "kind"));
  std::string op;
  for (const auto& s : list_field(n, "name")) op = std::string(string_node(s));
  int location = loc_of(n);
  const json::value* lexpr = field(n, "lexpr");
  const json::value* rexpr = field(n, "rexpr");
  if (kind == "AEXPR_OP" && lexpr && node_type(*lexpr) == "RowExpr" && node_type(*rexpr) == "RowExpr")
    return bind_row_comparison(op, node_body(*lexpr), node_body(*rexpr), scope, location);
  // PostgreSQL's transformAExprOp: row op (SELECT ...) is a ROWCOMPARE_SUBLINK.
  if (kind == "AEXPR_OP" && lexpr && node_type(*lexpr) == "RowExpr" && node_type(*rexpr) == "SubLink" &&
      str_field(node_body(*rexpr), "subLinkType") == "EXPR_SUBLINK")
    return bind_sublink(node_body(*rexpr), scope, &n);
  if (kind == "AEXPR_OP") {
    ExprPtr l = lexpr ? bind_expr(*lexpr, scope) : nullptr;
    ExprPtr r = bind_expr(*rexpr, scope);
    // Unknown literals on both sides of a comparison resolve as text.
    return make_operator(op, std::move(l), std::move(r), location);
  }
  if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE" || kind == "AEXPR_SIMILAR") {
    // x LIKE p ESCAPE e arrives as x LIKE like_escape(p, e): a function that rewrites the
    // pattern to backslash escapes; x SIMILAR TO p as x ~ similar_to_escape(p), a regex.
    return make_operator(op, bind_expr(*lexpr, scope), bind_expr(*rexpr, scope), location);
  }
  if (kind == "AEXPR_IN") {
    bool negate = op == "<>";
    auto in = std::make_unique<exec::InListExpr>();
    in->negate = negate;
    for (const auto& item : list_field(node_body(*rexpr), "items")) {
      if (node_type(*lexpr) == "RowExpr" && node_type(item) == "RowExpr")
        in->tests.push_back(bind_row_comparison("=", node_body(*lexpr), node_body(item), scope, location));
      else
        in->tests.push_back(make_operator("=", bind_expr(*lexpr, scope), bind_expr(item, scope), location));
    }
    return in;
  }
  if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN" || kind == "AEXPR_BETWEEN_SYM" || kind == "AEXPR_NOT_BETWEEN_SYM") {
    const auto& bounds = list_field(node_body(*rexpr), "items");
    auto between = [&](const json::value& low, const json::value& high) {
      std::vector<ExprPtr> parts;
      parts.push_back(make_operator(">=", bind_expr(*lexpr, scope), bind_expr(low, scope), location));
      parts.push_back(make_operator("<=", bind_expr(*lexpr, scope), bind_expr(high, scope), location));
      return std::make_unique<exec::BoolExpr>(exec::BoolOp::kAnd, std::move(parts));
    };
    ExprPtr both = between(bounds[0], bounds[1]);
    if (kind.ends_with("_SYM")) {  // SYMMETRIC: either order of the bounds (PostgreSQL's transformAExprBetween)
      std::vector<ExprPtr> either;
      either.push_back(std::move(both));
      either.push_back(between(bounds[1], bounds[0]));
      both = std::make_unique<exec::BoolExpr>(exec::BoolOp::kOr, std::move(either));
    }
    if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_BETWEEN_SYM") return both;
    std::vector<ExprPtr> one;
    one.push_back(std::move(both));
    return std::make_unique<exec::BoolExpr>(exec::BoolOp::kNot, std::move(one));
  }
  if (kind == "AEXPR_NULLIF") {
    ExprPtr a = bind_expr(*lexpr, scope);
    ExprPtr b = bind_expr(*rexpr, scope);
    uint32_t t = exec::common_type({a->type, b->type}, "NULLIF");
    a = coerce(std::move(a), t, -1, false, location);
    b = coerce(std::move(b), t, -1, false, location);
    auto eq = make_operator("=", std::make_unique<exec::ColumnExpr>(0, t, -1), std::make_unique<exec::ColumnExpr>(1, t, -1), location);
    auto e = std::make_unique<exec::NullIfExpr>(std::move(a), std::move(eq));
    e->other = std::move(b);
    return e;
  }
  if (kind == "AEXPR_DISTINCT" || kind == "AEXPR_NOT_DISTINCT") {
    ExprPtr a = bind_expr(*lexpr, scope);
    ExprPtr b = bind_expr(*rexpr, scope);
    uint32_t t = exec::common_type({a->type, b->type}, "IS DISTINCT FROM");
    a = coerce(std::move(a), t, -1, false, location);
    b = coerce(std::move(b), t, -1, false, location);
    auto eq = make_operator("=", std::make_unique<exec::ColumnExpr>(0, t, -1), std::make_unique<exec::ColumnExpr>(1, t, -1), location);
    return std::make_unique<exec::DistinctExpr>(std::move(a), std::move(b), std::move(eq), kind == "AEXPR_NOT_DISTINCT");
  }
  if (kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") return bind_any_all(n, scope);
  unsupported(fmt::format("expression kind {}", kind));
}

namespace {
// A window function's result in an aggregate query: the column `offset` after the aggregate's
// results, whose number (*base) is set once the whole query is bound.
class WindowResultExpr final : public exec::Expr {
 public:
  WindowResultExpr(std::shared_ptr<size_t> base, size_t offset, uint32_t t) : Expr(t), base_(std::move(base)), offset_(offset) {}
  Value eval(const Row& row, exec::ExecContext&) const override { return row[*base_ + offset_]; }
  std::string key() const override { return "$window" + std::to_string(offset_); }

 private:
  std::shared_ptr<size_t> base_;
  size_t offset_;
};
}  // namespace

ExprPtr Binder::bind_func_call(const json::object& n, const Scope& scope) {
  std::string name;
  for (const auto& s : list_field(n, "funcname")) name = std::string(string_node(s));
  int location = loc_of(n);
  if (field(n, "over")) {
    if (auto it = window_columns_.find(&n); it != window_columns_.end()) {
      if (it->second.after_aggregate) return std::make_unique<WindowResultExpr>(window_base_, it->second.index, it->second.type);
      return std::make_unique<exec::ColumnExpr>(it->second.index, it->second.type, -1);
    }
    Error e(sqlstate::kWindowingError, "window functions are not allowed here");
    throw at(e, location);
  }
  if (exec::is_hypothetical_aggregate(name) && !sql::bool_field(n, "agg_within_group")) {
    // rank() is the window function (it needs OVER); rank(x, ...) the hypothetical-set aggregate.
    Error e = list_field(n, "args").empty()
                  ? make_error(sqlstate::kWrongObjectType, "window function {} requires an OVER clause", name)
                  : make_error(sqlstate::kWrongObjectType, "WITHIN GROUP is required for ordered-set aggregate {}", name);
    throw at(e, location);
  }
  if (exec::is_ordered_set_aggregate(name) && !sql::bool_field(n, "agg_within_group")) {
    // Called as a plain function: an ordered-set aggregate when its arguments fit one (the
    // fraction and the value, or mode's value), else no function fits.
    std::vector<uint32_t> ts;
    for (const auto& a : list_field(n, "args")) ts.push_back(bind_expr(a, scope)->type);
    bool fits = name == "mode" ? ts.size() == 1
                               : ts.size() == 2 && (exec::can_coerce_implicit(ts[0], oid::kFloat8) || ts[0] == oid::kFloat8 ||
                                                    array::is_array(ts[0]) || ts[0] == oid::kUnknownType);
    Error e = fits ? make_error(sqlstate::kWrongObjectType, "WITHIN GROUP is required for ordered-set aggregate {}", name)
                   : make_error(sqlstate::kUndefinedFunction, "function {}({}) does not exist", name, [&] {
                       std::string sig;
                       for (uint32_t t : ts) sig += (sig.empty() ? "" : ", ") + type_name(t);
                       return sig;
                     }());
    if (!fits) e.with_hint("No function matches the given name and argument types. You might need to add explicit type casts.");
    throw at(e, location);
  }
  if (is_aggregate_call(n)) {
    if (agg_) return agg_->bind_aggregate(*this, n, name, scope);
    Error e(sqlstate::kGroupingError, "aggregate functions are not allowed here");
    throw at(e, location);
  }
  std::vector<ExprPtr> args;
  std::vector<uint32_t> types;
  std::vector<std::string> arg_names;  // name => value arguments ("" for positional ones)
  for (const auto& a : list_field(n, "args")) {
    if (node_type(a) == "NamedArgExpr") {
      const auto& na = node_body(a);
      args.push_back(bind_expr(*field(na, "arg"), scope));
      arg_names.emplace_back(str_field(na, "name"));
    } else {
      if (!arg_names.empty() && !arg_names.back().empty()) {
        Error e(sqlstate::kSyntaxError, "positional argument cannot follow named argument");
        throw at(e, loc_of(node_body(a)));
      }
      args.push_back(bind_expr(a, scope));
      arg_names.emplace_back();
    }
    types.push_back(args.back()->type);
  }
  bool named = std::ranges::any_of(arg_names, [](const std::string& a) { return !a.empty(); });
  // pg_typeof of a value of a domain (a cast to it, a column of it) names the domain.
  if (name == "pg_typeof" && args.size() == 1) {
    uint32_t domain = 0;
    if (auto* d = dynamic_cast<exec::DomainCheckExpr*>(args[0].get())) {
      domain = d->domain_oid;
    } else if (auto* c = dynamic_cast<exec::ColumnExpr*>(args[0].get());
               c && c->index < scope.columns.size() && node_type(list_field(n, "args")[0]) == "ColumnRef") {
      const auto& sc = scope.columns[c->index];
      if (auto t = sc.table_oid && sc.attnum > 0 ? catalog_.table(sc.table_oid) : nullptr;
          t && static_cast<size_t>(sc.attnum) <= t->columns.size())
        domain = t->columns[static_cast<size_t>(sc.attnum - 1)].domain;
    }
    if (domain) return std::make_unique<exec::ConstExpr>(Value::of(oid::kRegtype, int64_t{domain}));
  }
  // Functions with special argument typing.
  if (name == "coalesce" || name == "greatest" || name == "least") {
    uint32_t t = exec::common_type(types, name == "coalesce" ? "COALESCE" : name == "greatest" ? "GREATEST" : "LEAST");
    for (auto& a : args) a = coerce(std::move(a), t, -1, false, location);
    return std::make_unique<exec::CoalesceExpr>(t, -1, std::move(args), name == "coalesce" ? 0 : name == "greatest" ? 1 : 2);
  }
  const auto& funcname = list_field(n, "funcname");
  std::string schema = funcname.size() >= 2 ? std::string(string_node(funcname[funcname.size() - 2])) : "";
  // A built-in function with argument names and defaults: its arguments in order, the missing
  // ones defaulted.
  if (const exec::ArgNames* an = schema.empty() || schema == "pg_catalog" ? exec::builtin_arg_names(name) : nullptr;
      an && args.size() <= an->names.size() && (named || args.size() < an->names.size())) {
    std::vector<ExprPtr> placed(an->names.size());
    bool fits = true;
    for (size_t i = 0; i < args.size() && fits; ++i) {
      size_t p = i;
      if (!arg_names[i].empty()) {
        auto it = std::ranges::find(an->names, arg_names[i]);
        fits = it != an->names.end();
        p = fits ? static_cast<size_t>(it - an->names.begin()) : 0;
      }
      if (fits && placed[p]) {
        Error e(sqlstate::kSyntaxError, fmt::format("argument name \"{}\" used more than once", an->names[p]));
        throw at(e, location);
      }
      if (fits) placed[p] = std::move(args[i]);
    }
    size_t first_default = an->names.size() - an->defaults.size();
    for (size_t p = 0; p < placed.size() && fits; ++p)
      if (!placed[p]) {
        fits = p >= first_default;
        if (fits) placed[p] = std::make_unique<exec::ConstExpr>(an->defaults[p - first_default]);
      }
    if (fits) {
      args = std::move(placed);
      arg_names.assign(args.size(), "");
      types.clear();
      for (const auto& a : args) types.push_back(a->type);
      named = false;
    }
  }
  bool builtin = (schema.empty() || schema == "pg_catalog") && !named;
  if (sql::bool_field(n, "func_variadic") && builtin && !args.empty()) {
    // f(a, VARIADIC arr): a variadic function whose variadic parameter takes arr's elements.
    std::vector<uint32_t> spread = types;
    uint32_t elem = array::element_type(types.back());
    if (elem) spread.back() = elem;
    const exec::FuncDef* vf = exec::resolve_function(name, spread);
    if (vf && vf->variadic && args.size() == vf->args.size()) {
      bool any = vf->args.back() == exec::kAnyType || vf->args.back() == exec::kAnyNonArray;
      if (!elem && (any || types.back() != oid::kUnknownType)) {
        Error e(sqlstate::kDatatypeMismatch, "VARIADIC argument must be an array");
        throw at(e, loc_of(node_body(list_field(n, "args").back())));
      }
      return make_call(vf, std::move(args), location, true);
    }
    builtin = false;  // no variadic function fits: "does not exist" below
  }
  const exec::FuncDef* f = builtin ? exec::resolve_function(name, types) : nullptr;
  if (!f && schema != "pg_catalog" && !sql::bool_field(n, "func_variadic"))
    if (ExprPtr call = bind_user_function(schema, name, std::move(args), arg_names, location, &n == procedure_call_)) return call;
  if (!f && args.size() == 1 && !named && (schema.empty() || schema == "pg_catalog")) {
    // float8(x), text(x), ...: a type's name called as a function is a cast to it, when one exists.
    json::object type_name{{"names", json::array{json::object{{"String", json::object{{"sval", name}}}}}}};
    std::optional<std::pair<uint32_t, int32_t>> t;
    try {
      t = resolve_type(type_name);
    } catch (const Error&) {
    }
    if (t && (types[0] == oid::kUnknownType || types[0] == t->first || exec::can_cast(types[0], t->first)))
      return coerce(std::move(args[0]), t->first, -1, true, location);
  }
  auto signature = [&] {  // for the errors: name(type, name => type)
    std::string sig;
    for (size_t i = 0; i < types.size(); ++i) sig += (i ? ", " : "") + (arg_names[i].empty() ? "" : arg_names[i] + " => ") + type_name(types[i]);
    return name + "(" + sig + ")";
  };
  const char* what = &n == procedure_call_ ? "procedure" : "function";
  if (!f) {
    Error e(sqlstate::kUndefinedFunction, fmt::format("{} {} does not exist", what, signature()));
    e.with_hint(fmt::format("No {} matches the given name and argument types. You might need to add explicit type casts.", what));
    throw at(e, location);
  }
  if (&n == procedure_call_) {
    Error e(sqlstate::kWrongObjectType, fmt::format("{} is not a procedure", signature()));
    e.with_hint("To call a function, use SELECT.");
    throw at(e, location);
  }
  return make_call(f, std::move(args), location);
}

ExprPtr Binder::bind_expr(const json::value& node, const Scope& scope) {
  std::string_view type = node_type(node);
  const json::object& n = node_body(node);
  if (agg_ && type != "A_Const" && type != "ParamRef") {
    if (ExprPtr g = agg_->match_group(*this, node, scope)) return g;
  }
  if (type == "ColumnRef") {
    if (agg_) agg_->column_outside_group(*this, n, scope);
    return bind_column_ref(n, scope);
  }
  if (type == "A_Const") return bind_const(n);
  if (type == "ParamRef") {
    int num = static_cast<int>(int_field(n, "number"));
    if (num < 1 || num > 65535) raise(sqlstate::kUndefinedParameter, "there is no parameter ${}", num);
    if (param_types_.size() < static_cast<size_t>(num)) param_types_.resize(static_cast<size_t>(num), 0);
    uint32_t t = param_types_[static_cast<size_t>(num - 1)];
    return std::make_unique<exec::ParamExpr>(num, t ? t : oid::kUnknownType);
  }
  if (type == "A_Expr") return bind_a_expr(n, scope);
  if (type == "BoolExpr") {
    std::string op(str_field(n, "boolop"));
    exec::BoolOp bop = op == "AND_EXPR" ? exec::BoolOp::kAnd : op == "OR_EXPR" ? exec::BoolOp::kOr : exec::BoolOp::kNot;
    std::vector<ExprPtr> args;
    for (const auto& a : list_field(n, "args"))
      args.push_back(make_condition(bind_expr(a, scope), bop == exec::BoolOp::kAnd ? "AND" : bop == exec::BoolOp::kOr ? "OR" : "NOT"));
    return std::make_unique<exec::BoolExpr>(bop, std::move(args));
  }
  if (type == "TypeCast") {
    uint32_t domain = 0;
    auto [t, tm] = resolve_type(field(n, "typeName")->as_object(), &domain);
    // ARRAY[]::int[]: the constructor takes the type of the cast.
    const json::value& arg = *field(n, "arg");
    ExprPtr cast;
    if (node_type(arg) == "A_ArrayExpr" && array::is_array(t)) {
      cast = coerce(bind_array(node_body(arg), scope, t), t, tm, true, loc_of(n));
    } else {
      // A literal that does not read as the type is reported at the literal, as PostgreSQL does.
      int location = node_type(arg) == "A_Const" ? loc_of(node_body(arg)) : loc_of(n);
      cast = coerce(bind_expr(arg, scope), t, tm, true, location);
    }
    return domain ? domain_check(std::move(cast), domain) : std::move(cast);
  }
  if (type == "FuncCall") return bind_func_call(n, scope);
  if (type == "NullTest") {
    bool is_null = str_field(n, "nulltesttype") == "IS_NULL";
    ExprPtr a = bind_expr(*field(n, "arg"), scope);
    return std::make_unique<exec::TestExpr>(is_null ? exec::TestKind::kIsNull : exec::TestKind::kIsNotNull, std::move(a));
  }
  if (type == "BooleanTest") {
    std::string t(str_field(n, "booltesttype"));
    exec::TestKind k = t == "IS_TRUE" ? exec::TestKind::kIsTrue : t == "IS_NOT_TRUE" ? exec::TestKind::kIsNotTrue
                       : t == "IS_FALSE" ? exec::TestKind::kIsFalse : t == "IS_NOT_FALSE" ? exec::TestKind::kIsNotFalse
                       : t == "IS_UNKNOWN" ? exec::TestKind::kIsUnknown : exec::TestKind::kIsNotUnknown;
    return std::make_unique<exec::TestExpr>(k, make_condition(bind_expr(*field(n, "arg"), scope), "IS TRUE"));
  }
  if (type == "CaseExpr") {
    const json::value* arg = field(n, "arg");
    std::vector<ExprPtr> conds, results;
    // PostgreSQL simplifies a CASE before folding its results: an arm whose condition is a
    // constant false or NULL, and every arm after a constant true one, is dropped, so what
    // folding them would raise (1/0) is not an error.
    bool settled = false;
    auto constant = [](const ExprPtr& c) -> std::optional<bool> {
      if (const auto* k = dynamic_cast<const exec::ConstExpr*>(c.get())) return !k->value.is_null() && k->value.as_bool();
      return std::nullopt;
    };
    for (const auto& w : list_field(n, "args")) {
      const auto& wb = node_body(w);
      std::optional<Error> before = plan_error_;
      if (arg) conds.push_back(make_operator("=", bind_expr(*arg, scope), bind_expr(*field(wb, "expr"), scope), loc_of(wb)));
      else conds.push_back(make_condition(bind_expr(*field(wb, "expr"), scope), "CASE/WHEN"));
      std::optional<bool> known = settled ? std::optional<bool>(false) : constant(conds.back());
      if (settled) plan_error_ = before;
      before = plan_error_;
      results.push_back(bind_expr(*field(wb, "result"), scope));
      if (known == false) plan_error_ = before;
      settled = settled || known == true;
    }
    ExprPtr otherwise;
    std::optional<Error> before_else = plan_error_;
    if (const auto* d = field(n, "defresult")) otherwise = bind_expr(*d, scope);
    if (settled) plan_error_ = before_else;
    // ELSE first, as PostgreSQL lists the results (its type wins a tie: ELSE name THEN text is name).
    std::vector<uint32_t> ts;
    if (otherwise) ts.push_back(otherwise->type);
    for (const auto& r : results) ts.push_back(r->type);
    uint32_t t = exec::common_type(ts, "CASE");
    auto c = std::make_unique<exec::CaseExpr>(t, -1);
    for (auto& r : results) r = coerce(std::move(r), t, -1, false, loc_of(n));
    if (otherwise) otherwise = coerce(std::move(otherwise), t, -1, false, loc_of(n));
    c->conds = std::move(conds);
    c->results = std::move(results);
    c->otherwise = std::move(otherwise);
    return c;
  }
  if (type == "CoalesceExpr") {
    std::vector<ExprPtr> args;
    std::vector<uint32_t> ts;
    for (const auto& a : list_field(n, "args")) {
      args.push_back(bind_expr(a, scope));
      ts.push_back(args.back()->type);
    }
    uint32_t t = exec::common_type(ts, "COALESCE");
    for (auto& a : args) a = coerce(std::move(a), t, -1, false, loc_of(n));
    return std::make_unique<exec::CoalesceExpr>(t, -1, std::move(args), 0);
  }
  if (type == "MinMaxExpr") {
    std::vector<ExprPtr> args;
    std::vector<uint32_t> ts;
    bool greatest = str_field(n, "op") == "IS_GREATEST";
    for (const auto& a : list_field(n, "args")) {
      args.push_back(bind_expr(a, scope));
      ts.push_back(args.back()->type);
    }
    uint32_t t = exec::common_type(ts, greatest ? "GREATEST" : "LEAST");
    for (auto& a : args) a = coerce(std::move(a), t, -1, false, loc_of(n));
    return std::make_unique<exec::CoalesceExpr>(t, -1, std::move(args), greatest ? 1 : 2);
  }
  if (type == "SQLValueFunction") {
    std::string op(str_field(n, "op"));
    const char* fn = nullptr;
    if (op == "SVFOP_CURRENT_TIMESTAMP" || op == "SVFOP_CURRENT_TIMESTAMP_N") fn = "now";
    else if (op == "SVFOP_CURRENT_DATE") fn = "current_date";
    else if (op == "SVFOP_CURRENT_TIME" || op == "SVFOP_CURRENT_TIME_N") fn = "current_time";
    else if (op == "SVFOP_LOCALTIMESTAMP" || op == "SVFOP_LOCALTIMESTAMP_N") fn = "localtimestamp";
    else if (op == "SVFOP_LOCALTIME" || op == "SVFOP_LOCALTIME_N") fn = "localtime";
    else if (op == "SVFOP_CURRENT_USER" || op == "SVFOP_USER" || op == "SVFOP_CURRENT_ROLE") fn = "current_user";
    else if (op == "SVFOP_SESSION_USER") fn = "session_user";
    else if (op == "SVFOP_CURRENT_CATALOG") fn = "current_database";
    else if (op == "SVFOP_CURRENT_SCHEMA") fn = "current_schema";
    const exec::FuncDef* f = fn ? exec::resolve_function(fn, {}) : nullptr;
    if (!f) unsupported(fmt::format("SQL value function {}", op));
    std::string keyword = op.substr(6, op.ends_with("_N") ? op.size() - 8 : std::string::npos);
    // The precision of CURRENT_TIMESTAMP(n) & co. (the tree omits a 0).
    int32_t precision = op.ends_with("_N") ? static_cast<int32_t>(sql::int_field(n, "typmod", 0)) : -1;
    if (precision > 6) precision = 6;  // PostgreSQL warns and reduces it to the maximum
    return std::make_unique<exec::SqlValueExpr>(f, f->ret, std::move(keyword), precision);
  }
  if (type == "SubLink") return bind_sublink(n, scope);
  if (type == "SetToDefault") raise(sqlstate::kSyntaxError, "DEFAULT is not allowed in this context");
  if (type == "A_ArrayExpr") return bind_array(n, scope, 0);
  if (type == "A_Indirection") return bind_indirection(n, scope);
  if (type == "RowExpr") return bind_row(n, scope);
  if (type == "CollateClause") {
    // C collation only: COLLATE "C" / "default" / "POSIX" change nothing.
    return bind_expr(*field(n, "arg"), scope);
  }
  unsupported(fmt::format("expression type {}", type));
}

ExprPtr Binder::bind_sublink(const json::object& n, const Scope& scope, const json::object* row_op) {
  std::string kind(row_op ? "ROWCOMPARE_SUBLINK" : str_field(n, "subLinkType"));
  Scope sub_scope;
  ++subquery_depth_;
  AggContext* saved = agg_;
  agg_ = nullptr;
  size_t outer_refs_before = outer_refs_;
  exec::OperatorPtr plan;
  try {
    plan = bind_select(node_body(*field(n, "subselect")), &scope, sub_scope);
  } catch (...) {
    agg_ = saved;
    --subquery_depth_;
    throw;
  }
  agg_ = saved;
  --subquery_depth_;
  // Without references to the enclosing query the subquery's rows are the same for every outer
  // row: it runs once per statement execution.
  bool correlated = outer_refs_ != outer_refs_before;
  size_t visible = 0;
  for (const auto& c : sub_scope.columns) visible += !c.hidden;
  if (kind == "EXISTS_SUBLINK") {
    auto e = std::make_unique<exec::SubqueryExpr>(exec::SubqueryKind::kExists, oid::kBool, -1);
    e->plan = std::move(plan);
    e->correlated = correlated;
    return e;
  }
  if (row_op) {
    std::string op;
    for (const auto& s : list_field(*row_op, "name")) op = std::string(string_node(s));
    return bind_row_sublink(exec::SubqueryKind::kRowCompare, op, node_body(*field(*row_op, "lexpr")), loc_of(*row_op), scope,
                            std::move(plan), sub_scope, correlated);
  }
  const json::value* testexpr = field(n, "testexpr");
  if ((kind == "ANY_SUBLINK" || kind == "ALL_SUBLINK") && testexpr && node_type(*testexpr) == "RowExpr") {
    std::string op = "=";
    for (const auto& s : list_field(n, "operName")) op = std::string(string_node(s));
    return bind_row_sublink(kind == "ANY_SUBLINK" ? exec::SubqueryKind::kAny : exec::SubqueryKind::kAll, op, node_body(*testexpr),
                            static_cast<int>(int_field(n, "location", -1)), scope, std::move(plan), sub_scope, correlated);
  }
  if (visible != 1 && kind != "EXISTS_SUBLINK") {
    if (kind == "EXPR_SUBLINK") raise(sqlstate::kSyntaxError, "subquery must return only one column");
    raise(sqlstate::kSyntaxError, "subquery has too many columns");
  }
  const auto& col = sub_scope.columns[0];
  if (kind == "ARRAY_SUBLINK") {
    uint32_t elem = col.type == oid::kUnknownType ? oid::kText : col.type;
    uint32_t atype = array::array_type_of(elem);
    if (!atype) raise(sqlstate::kUndefinedObject, "could not find array type for data type {}", type_name(elem));
    auto e = std::make_unique<exec::SubqueryExpr>(exec::SubqueryKind::kArray, atype, -1);
    e->plan = std::move(plan);
    e->correlated = correlated;
    return e;
  }
  if (kind == "EXPR_SUBLINK") {
    auto e = std::make_unique<exec::SubqueryExpr>(exec::SubqueryKind::kScalar, col.type == oid::kUnknownType ? oid::kText : col.type, col.typmod);
    e->plan = std::move(plan);
    e->correlated = correlated;
    return e;
  }
  if (kind == "ANY_SUBLINK" || kind == "ALL_SUBLINK") {
    std::string op = "=";
    for (const auto& s : list_field(n, "operName")) op = std::string(string_node(s));
    ExprPtr lhs = bind_expr(*field(n, "testexpr"), scope);
    auto test = make_operator(op, std::make_unique<exec::ColumnExpr>(0, lhs->type, -1),
                              std::make_unique<exec::ColumnExpr>(1, col.type, col.typmod), static_cast<int>(int_field(n, "location", -1)));
    auto e = std::make_unique<exec::SubqueryExpr>(kind == "ANY_SUBLINK" ? exec::SubqueryKind::kAny : exec::SubqueryKind::kAll, oid::kBool, -1);
    e->plan = std::move(plan);
    auto integer = [](uint32_t t) { return t == oid::kInt2 || t == oid::kInt4 || t == oid::kInt8; };
    auto text = [](uint32_t t) { return t == oid::kText || t == oid::kVarchar; };
    e->hashable = op == "=" && ((integer(lhs->type) && integer(col.type)) || (text(lhs->type) && text(col.type)));
    e->lhs = std::move(lhs);
    e->test = std::move(test);
    e->correlated = correlated;
    return e;
  }
  unsupported(fmt::format("subquery kind {}", kind));
}

// (a, b) IN (SELECT x, y ...) / (a, b) op ANY|ALL (...) / (a, b) op (SELECT x, y): each subquery
// row as a record, compared with the left row field by field as row constructors compare.
ExprPtr Binder::bind_row_sublink(exec::SubqueryKind kind, const std::string& op, const json::object& row, int location,
                                 const Scope& scope, exec::OperatorPtr plan, const Scope& sub_scope, bool correlated) {
  std::vector<const ScopeColumn*> cols;
  std::vector<uint32_t> types;
  for (const auto& c : sub_scope.columns)
    if (!c.hidden) {
      cols.push_back(&c);
      types.push_back(c.type == oid::kUnknownType ? oid::kText : c.type);
    }
  ExprPtr lhs = bind_row(row, scope, &types);
  auto* left = static_cast<exec::RowExpr*>(lhs.get());
  if (cols.size() != left->items.size()) {
    Error e(sqlstate::kSyntaxError, cols.size() > left->items.size() ? "subquery has too many columns" : "subquery has too few columns");
    throw at(e, location);
  }
  record::Shape shape;
  std::vector<ExprPtr> fields;
  std::vector<std::string> names;
  for (size_t i = 0, k = 0; i < sub_scope.columns.size(); ++i) {
    const auto& c = sub_scope.columns[i];
    if (c.hidden) continue;
    names.push_back("f" + std::to_string(++k));
    shape.names.push_back(names.back());
    shape.types.push_back(c.type == oid::kUnknownType ? oid::kText : c.type);
    shape.typmods.push_back(c.typmod);
    ExprPtr col = std::make_unique<exec::ColumnExpr>(i, c.type, c.typmod);
    fields.push_back(c.type == oid::kUnknownType ? coerce(std::move(col), oid::kText, -1, false, location) : std::move(col));
  }
  int32_t sub_typmod = record::bless(shape);
  std::vector<ExprPtr> sub_row;
  sub_row.push_back(std::make_unique<exec::RowExpr>(oid::kRecord, sub_typmod, std::move(names), std::move(fields)));
  plan = exec::make_project(std::move(plan), std::move(sub_row), {{"row", oid::kRecord, sub_typmod, 0, 0}});
  auto e = std::make_unique<exec::SubqueryExpr>(kind, oid::kBool, -1);
  e->plan = std::move(plan);
  e->test = row_comparison(op, cols.size(), [&](const std::string& o, size_t i) {
    const auto& l = left->items[i];
    auto lf = std::make_unique<exec::FieldSelectExpr>(std::make_unique<exec::ColumnExpr>(0, oid::kRecord, lhs->typmod), i,
                                                      l->type, l->typmod);
    auto rf = std::make_unique<exec::FieldSelectExpr>(std::make_unique<exec::ColumnExpr>(1, oid::kRecord, sub_typmod), i,
                                                      shape.types[i], shape.typmods[i]);
    return make_operator(o, std::move(lf), std::move(rf), location);
  });
  e->lhs = std::move(lhs);
  e->correlated = correlated;
  return e;
}

// ARRAY[...]: the elements' common type (or want_type's element type), one dimension more when
// the elements are themselves arrays.
ExprPtr Binder::bind_array(const json::object& n, const Scope& scope, uint32_t want_type) {
  int location = loc_of(n);
  std::vector<ExprPtr> items;
  std::vector<uint32_t> ts;
  for (const auto& e : list_field(n, "elements")) {
    if (node_type(e) == "A_ArrayExpr") items.push_back(bind_array(node_body(e), scope, want_type));
    else items.push_back(bind_expr(e, scope));
    ts.push_back(items.back()->type);
  }
  uint32_t elem_or_array;
  if (want_type) {
    bool nested = !items.empty() && array::is_array(items[0]->type);
    elem_or_array = nested ? want_type : array::element_type(want_type);
  } else {
    if (items.empty()) {
      Error e(sqlstate::kIndeterminateDatatype, "cannot determine type of empty array");
      e.with_hint("Explicitly cast to the desired type, for example ARRAY[]::integer[].");
      throw at(e, location);
    }
    elem_or_array = exec::common_type(ts, "ARRAY");
  }
  for (auto& i : items) i = coerce(std::move(i), elem_or_array, -1, want_type != 0, location);  // ARRAY[...]::t[] casts each item
  uint32_t atype = array::is_array(elem_or_array) ? elem_or_array : array::array_type_of(elem_or_array);
  if (!atype) raise(sqlstate::kUndefinedObject, "could not find array type for data type {}", type_name(elem_or_array));
  return std::make_unique<exec::ArrayExpr>(atype, std::move(items));
}

// a[i], a[i:j], (expr)[i][j]: array subscripts (field selection from a row is not supported).
ExprPtr Binder::bind_indirection(const json::object& n, const Scope& scope) {
  ExprPtr arg = bind_expr(*field(n, "arg"), scope);
  int location = loc_of(n);
  const auto& ind = list_field(n, "indirection");
  // Runs of subscripts, and field selections between them: (x).f[1].g
  for (size_t i = 0; i < ind.size();) {
    std::string_view t = node_type(ind[i]);
    if (t == "String") {
      arg = select_field(std::move(arg), std::string(string_node(ind[i])), location);
      ++i;
      continue;
    }
    if (t == "A_Star") {
      Error e(sqlstate::kFeatureNotSupported, "row expansion via \"*\" is not supported here");
      throw at(e, location);
    }
    size_t j = i;
    while (j < ind.size() && node_type(ind[j]) == "A_Indices") ++j;
    arg = bind_subscripts(std::move(arg), std::span(ind.data() + i, j - i), scope, location);
    i = j;
  }
  return arg;
}

ExprPtr Binder::select_field(ExprPtr arg, const std::string& name, int location) {
  const record::Shape* shape = record::shape_of(arg->type, arg->typmod);
  if (!shape) {
    if (arg->type == oid::kRecord) {
      Error e(sqlstate::kUndefinedColumn, fmt::format("could not identify column \"{}\" in record data type", name));
      throw at(e, location);
    }
    Error e(sqlstate::kWrongObjectType,
            fmt::format("column notation .{} applied to type {}, which is not a composite type", name, type_name(arg->type)));
    throw at(e, location);
  }
  for (size_t k = 0; k < shape->size(); ++k)
    if (shape->names[k] == name)
      return std::make_unique<exec::FieldSelectExpr>(std::move(arg), k, shape->types[k], shape->typmods[k]);
  Error e(sqlstate::kUndefinedColumn, fmt::format("column \"{}\" not found in data type {}", name, type_name(arg->type)));
  throw at(e, location);
}

ExprPtr Binder::bind_subscripts(ExprPtr arg, std::span<const json::value> ind, const Scope& scope, int location) {
  if (arg->type == oid::kUnknownType) arg = coerce(std::move(arg), oid::kText, -1, false, location);
  if (arg->type == oid::kName && ind.size() == 1 && !sql::bool_field(node_body(ind[0]), "is_slice")) {
    // name is a fixed array of "char" in PostgreSQL: typname[0] is its first byte.
    std::vector<ExprPtr> args;
    args.push_back(std::move(arg));
    args.push_back(bind_expr(*field(node_body(ind[0]), "uidx"), scope));
    return make_call(exec::resolve_function("?name_subscript", {oid::kName, oid::kInt4}), std::move(args), location);
  }
  uint32_t elem = array::element_type(arg->type);
  if (!elem) {
    Error e(sqlstate::kDatatypeMismatch, fmt::format("cannot subscript type {} because it does not support subscripting", type_name(arg->type)));
    throw at(e, location);
  }
  check_subscript_count(ind.size(), location);
  bool slice = false;
  for (const auto& i : ind) slice |= sql::bool_field(node_body(i), "is_slice");
  uint32_t atype = arg->type == oid::kInt2Vector || arg->type == oid::kOidVector ? array::array_type_of(elem) : arg->type;
  auto e = std::make_unique<exec::SubscriptExpr>(slice ? atype : elem, std::move(arg));
  e->slice = slice;
  for (const auto& i : ind) {
    const auto& b = node_body(i);
    const auto* lidx = field(b, "lidx");
    const auto* uidx = field(b, "uidx");
    e->lower.push_back(lidx ? bind_subscript(*lidx, scope, location) : nullptr);
    e->upper.push_back(uidx ? bind_subscript(*uidx, scope, location) : nullptr);
    e->is_slice_dim.push_back(sql::bool_field(b, "is_slice"));
  }
  return e;
}

void Binder::check_subscript_count(size_t n, int location) {
  constexpr size_t kMaxDims = 6;  // MAXDIM
  if (n <= kMaxDims) return;
  Error e(sqlstate::kProgramLimitExceeded,
          fmt::format("number of array dimensions ({}) exceeds the maximum allowed ({})", n, kMaxDims));
  throw at(e, location);
}

// An array subscript: an int4, or what assignment converts to one (a numeric rounds).
ExprPtr Binder::bind_subscript(const json::value& node, const Scope& scope, int location) {
  ExprPtr x = bind_expr(node, scope);
  if (!types::is_numeric_family(x->type) && x->type != oid::kUnknownType) {
    Error err(sqlstate::kDatatypeMismatch, "array subscript must have type integer");
    throw at(err, location);
  }
  bool converts = x->type != oid::kUnknownType && x->type != oid::kInt4;
  x = coerce(std::move(x), oid::kInt4, -1, converts, location);
  if (auto* c = dynamic_cast<exec::CastExpr*>(x.get())) c->explicit_ = false;
  return x;
}

// ROW(a, b) and (a, b): an anonymous record with fields f1, f2, ... (unknown literals as text).
ExprPtr Binder::bind_row(const json::object& n, const Scope& scope, const std::vector<uint32_t>* unknown_as) {
  record::Shape shape;
  std::vector<ExprPtr> items;
  for (const auto& a : list_field(n, "args")) {
    if (node_type(a) == "ColumnRef") {
      // ROW(t.*, x): t's columns, each a field.
      const auto& f = list_field(node_body(a), "fields");
      if (f.size() == 2 && node_type(f[1]) == "A_Star") {
        auto whole = whole_row(std::string(string_node(f[0])), scope, 0);  // resolves t (42P01 when none)
        auto* row = dynamic_cast<exec::RowExpr*>(whole.get());
        for (auto& x : row->items) {
          shape.names.push_back("f" + std::to_string(items.size() + 1));
          shape.types.push_back(x->type);
          shape.typmods.push_back(x->typmod);
          items.push_back(std::move(x));
        }
        continue;
      }
    }
    ExprPtr x = bind_expr(a, scope);
    if (x->type == oid::kUnknownType) {
      uint32_t t = unknown_as && items.size() < unknown_as->size() ? (*unknown_as)[items.size()] : oid::kText;
      x = coerce(std::move(x), t, -1, false, loc_of(n));
    }
    shape.names.push_back("f" + std::to_string(items.size() + 1));
    shape.types.push_back(x->type);
    shape.typmods.push_back(x->typmod);
    items.push_back(std::move(x));
  }
  int32_t typmod = record::bless(shape);
  return std::make_unique<exec::RowExpr>(oid::kRecord, typmod, std::move(shape.names), std::move(items));
}

// A whole-row reference: the columns of FROM item `rel` (found in scope s, `depth` levels up) as
// one record, of the table's row type when rel is a table or view, else an anonymous record.
ExprPtr Binder::whole_row(const std::string& rel, const Scope& scope, int depth) {
  // The query level that has rel (scope itself, or one `depth` counts up from).
  const Scope* level = &scope;
  for (bool found = false; level && !found;) {
    for (const auto& c : level->columns) found |= c.relation == rel;
    if (!found) {
      level = level->parent;
      ++depth;
    }
  }
  if (!level) raise(sqlstate::kUndefinedTable, "missing FROM-clause entry for table \"{}\"", rel);
  const Scope& s = *level;
  record::Shape shape;
  std::vector<ExprPtr> items;
  uint32_t table = 0;
  bool one_table = true;
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const auto& c = s.columns[i];
    if (c.relation != rel || c.hidden) continue;
    if (items.empty()) table = c.table_oid;
    one_table &= c.table_oid != 0 && c.table_oid == table;
    shape.names.push_back(c.name);
    shape.types.push_back(c.type);
    shape.typmods.push_back(c.typmod);
    if (depth == 0) {
      items.push_back(std::make_unique<exec::ColumnExpr>(i, c.type, c.typmod));
    } else {
      ++outer_refs_;
      items.push_back(std::make_unique<exec::OuterColumnExpr>(i, c.type, c.typmod, depth));
    }
  }
  uint32_t type = oid::kRecord;
  int32_t typmod = -1;
  if (one_table && table) {
    // The table's row type when the FROM item shows all its columns, in order.
    uint32_t rowtype = catalog::row_type_oid(table);
    if (const record::Shape* ts = record::shape_of(rowtype, -1); ts && ts->names == shape.names) type = rowtype;
  }
  if (type == oid::kRecord) typmod = record::bless(shape);
  return std::make_unique<exec::RowExpr>(type, typmod, std::move(shape.names), std::move(items));
}

// x op ANY (array) / x op ALL (array).
ExprPtr Binder::bind_any_all(const json::object& n, const Scope& scope) {
  std::string op;
  for (const auto& s : list_field(n, "name")) op = std::string(string_node(s));
  int location = loc_of(n);
  ExprPtr lhs = bind_expr(*field(n, "lexpr"), scope);
  ExprPtr arr = bind_expr(*field(n, "rexpr"), scope);
  if (arr->type == oid::kUnknownType) {
    // '{a,b}' takes the array type of the left side.
    uint32_t lt = lhs->type == oid::kUnknownType ? oid::kText : lhs->type;
    uint32_t atype = array::array_type_of(lt);
    if (!atype) raise(sqlstate::kUndefinedObject, "could not find array type for data type {}", type_name(lt));
    arr = coerce(std::move(arr), atype, -1, false, location);
  }
  uint32_t elem = array::element_type(arr->type);
  if (!elem) {
    Error e(sqlstate::kWrongObjectType, "op ANY/ALL (array) requires array on right side");
    throw at(e, location);
  }
  if (lhs->type == oid::kUnknownType) lhs = coerce(std::move(lhs), elem, -1, false, location);
  ExprPtr test = make_operator(op, std::make_unique<exec::ColumnExpr>(0, lhs->type, lhs->typmod),
                               std::make_unique<exec::ColumnExpr>(1, elem, -1), location);
  if (test->type != oid::kBool) {
    Error e(sqlstate::kWrongObjectType, "op ANY/ALL (array) requires operator to yield boolean");
    throw at(e, location);
  }
  return std::make_unique<exec::ArrayAnyExpr>(std::move(lhs), std::move(arr), std::move(test),
                                              str_field(n, "kind") == "AEXPR_OP_ALL");
}

exec::ExprPtr Binder::bind_stored(const std::string& expr_json, const catalog::TableDef* table) {
  json::value v = json::parse(expr_json);
  Scope scope;
  if (table) {
    int16_t n = 0;
    for (const auto& c : table->columns) scope.columns.push_back({table->name, c.name, c.type, c.typmod, table->id, ++n});
  }
  return bind_expr(v, scope);
}

// A function of CREATE FUNCTION whose arguments fit (positional, then by name; missing ones
// take their DEFAULT), exactly or by implicit casts; nullptr when there is none (args are left as
// they were).
ExprPtr Binder::bind_user_function(const std::string& schema, const std::string& name, std::vector<ExprPtr>&& args,
                                   const std::vector<std::string>& arg_names, int location, bool as_procedure) {
  auto candidates = catalog_.functions(schema, name);
  std::shared_ptr<const catalog::FunctionDef> best;
  std::vector<int> best_slots;  // per parameter: the argument given for it, -1 for its default
  int best_exact = -1;
  for (const auto& fn : candidates) {
    if (fn->kind == 'a') continue;  // aggregates are bound as such
    size_t nparams = fn->arg_types.size();
    if (args.size() > nparams) continue;
    std::vector<int> slots(nparams, -1);
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      size_t p = i;
      if (!arg_names[i].empty()) {
        auto it = std::ranges::find(fn->arg_names, arg_names[i]);
        if (it == fn->arg_names.end()) { ok = false; break; }
        p = static_cast<size_t>(it - fn->arg_names.begin());
      }
      if (slots[p] >= 0) { ok = false; break; }
      slots[p] = static_cast<int>(i);
    }
    int exact = 0;
    for (size_t p = 0; p < nparams && ok; ++p) {
      if (slots[p] < 0) {
        ok = p < fn->arg_defaults.size() && !fn->arg_defaults[p].empty();
        continue;
      }
      uint32_t have = args[static_cast<size_t>(slots[p])]->type;
      if (have == fn->arg_types[p]) ++exact;
      else ok = exec::can_coerce_implicit(have, fn->arg_types[p]);
    }
    if (ok && exact > best_exact) {
      best = fn;
      best_slots = std::move(slots);
      best_exact = exact;
    }
  }
  if (!best) return nullptr;
  if ((best->kind == 'p') != as_procedure) {
    std::string sig;
    for (size_t i = 0; i < args.size(); ++i) sig += (i ? ", " : "") + type_name(args[i]->type);
    Error e(sqlstate::kWrongObjectType, fmt::format("{}({}) {}", name, sig, as_procedure ? "is not a procedure" : "is a procedure"));
    e.with_hint(as_procedure ? "To call a function, use SELECT." : "To call a procedure, use CALL.");
    throw at(e, location);
  }
  if (best->ret_type == 2279) {
    Error e(sqlstate::kFeatureNotSupported, "trigger functions can only be called as triggers");
    throw at(e, location);
  }
  if (best->returns_set) {
    Error e(sqlstate::kFeatureNotSupported, "set-returning functions of CREATE FUNCTION outside FROM are not supported");
    throw at(e, location);
  }
  std::vector<ExprPtr> call_args;
  for (size_t p = 0; p < best_slots.size(); ++p) {
    if (best_slots[p] >= 0) {
      call_args.push_back(coerce(std::move(args[static_cast<size_t>(best_slots[p])]), best->arg_types[p], -1, false, location));
    } else {
      Scope none;
      call_args.push_back(coerce(bind_expr(json::parse(best->arg_defaults[p]), none), best->arg_types[p], -1, false, location));
    }
  }
  return std::make_unique<exec::UserFuncExpr>(best->id, std::move(call_args), best->ret_type, best->strict);
}

exec::ExprPtr Binder::domain_check(exec::ExprPtr e, uint32_t domain) {
  auto d = catalog_.type(domain);
  if (!d || d->kind != 'd') return e;
  auto check = std::make_unique<exec::DomainCheckExpr>(std::move(e));
  check->domain = type_name(domain);  // qualified when not visible, as format_type_be
  check->schema = d->schema;
  check->type_name = d->name;
  check->domain_oid = d->id;
  check->not_null = d->not_null;
  // CHECK (VALUE ...) binds over a one-column row: VALUE.
  catalog::TableDef value;
  value.name = d->name;
  catalog::ColumnDef c;
  c.name = "value";
  c.type = d->base_type;
  c.typmod = d->base_typmod;
  value.columns.push_back(c);
  for (const auto& ck : d->checks) {
    check->check_names.push_back(ck.name);
    check->checks.push_back(make_condition(bind_stored(ck.expr, &value), "CHECK"));
  }
  return check;
}

const std::string& Binder::column_default(const catalog::ColumnDef& c) const {
  if (!c.default_expr.empty() || !c.domain) return c.default_expr;
  auto d = catalog_.type(c.domain);
  return d ? d->default_expr : c.default_expr;
}

exec::ExprPtr Binder::bind_for_column(const json::value& node, uint32_t type, int32_t typmod, const std::string& colname) {
  Scope empty;
  return coerce_assignment(bind_expr(node, empty), type, typmod, colname);
}

}  // namespace heliosdb::planner
