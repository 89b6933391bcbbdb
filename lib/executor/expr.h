// Bound, typed expressions and their evaluation.
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/types.h"
#include "executor/context.h"

namespace heliosdb::exec {

struct FuncDef;
class Operator;

class Expr {
 public:
  explicit Expr(uint32_t t, int32_t tm = -1) : type(t), typmod(tm) {}
  virtual ~Expr() = default;
  virtual Value eval(const Row& row, ExecContext& ctx) const = 0;
  // Structural identity, used to match SELECT expressions against GROUP BY expressions.
  virtual std::string key() const = 0;
  virtual bool is_const() const { return false; }
  uint32_t type;
  int32_t typmod;
};
using ExprPtr = std::unique_ptr<Expr>;

class ConstExpr final : public Expr {
 public:
  explicit ConstExpr(Value v, int32_t tm = -1) : Expr(v.type(), tm), value(std::move(v)) {}
  Value eval(const Row&, ExecContext&) const override { return value; }
  std::string key() const override;
  bool is_const() const override { return true; }
  Value value;
};

class ColumnExpr final : public Expr {
 public:
  ColumnExpr(size_t i, uint32_t t, int32_t tm) : Expr(t, tm), index(i) {}
  Value eval(const Row& row, ExecContext&) const override { return row[index]; }
  std::string key() const override { return "$col" + std::to_string(index); }
  size_t index;
};

// A column of the enclosing query's current row (correlated subquery), or of the query
// `depth` levels up.
class OuterColumnExpr final : public Expr {
 public:
  OuterColumnExpr(size_t i, uint32_t t, int32_t tm, int d = 1) : Expr(t, tm), index(i), depth(d) {}
  Value eval(const Row&, ExecContext& ctx) const override {
    const Row* row = ctx.outer;
    const ExecContext::OuterRows* up = ctx.outer_up;
    for (int d = 1; d < depth; ++d) {
      row = up ? up->row : nullptr;
      up = up ? up->up : nullptr;
    }
    if (!row || index >= row->size()) throw_no_outer_row();  // a binder bug: an error, not a crash
    return (*row)[index];
  }
  [[noreturn]] static void throw_no_outer_row();
  std::string key() const override {
    return "$outer" + (depth > 1 ? std::to_string(depth) + "." : "") + std::to_string(index);
  }
  size_t index;
  int depth;
};

class ParamExpr final : public Expr {
 public:
  ParamExpr(int n, uint32_t t) : Expr(t), number(n) {}
  Value eval(const Row&, ExecContext& ctx) const override;
  std::string key() const override { return "$" + std::to_string(number); }
  int number;  // 1-based
};

using FnPtr = Value (*)(const Value* args, size_t n, ExecContext& ctx);

class FuncExpr final : public Expr {
 public:
  FuncExpr(const FuncDef* f, std::vector<ExprPtr> a, uint32_t ret, int32_t tm = -1)
      : Expr(ret, tm), def(f), args(std::move(a)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  const FuncDef* def;
  std::vector<ExprPtr> args;
  // f(a, VARIADIC arr): the last argument is an array whose elements (all of them, row-major)
  // are the variadic arguments. A NULL array gives NULL (format: no arguments).
  bool variadic_array = false;

 private:
  Value eval_variadic_array(const Row& row, ExecContext& ctx) const;
};

// CURRENT_TIMESTAMP, LOCALTIME(2), CURRENT_USER, ...: a function without arguments that keeps
// its SQL spelling (deparse prints it as written) and rounds to its precision (typmod, -1 none).
class SqlValueExpr final : public Expr {
 public:
  SqlValueExpr(const FuncDef* f, uint32_t ret, std::string kw, int32_t precision)
      : Expr(ret, precision), call(f, {}, ret), keyword(std::move(kw)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  FuncExpr call;
  std::string keyword;  // "CURRENT_TIMESTAMP"
};

class CastExpr final : public Expr {
 public:
  CastExpr(ExprPtr a, uint32_t t, int32_t tm, bool is_explicit)
      : Expr(t, tm), arg(std::move(a)), explicit_(is_explicit) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  ExprPtr arg;
  bool explicit_;
};

enum class BoolOp { kAnd, kOr, kNot };
class BoolExpr final : public Expr {
 public:
  BoolExpr(BoolOp o, std::vector<ExprPtr> a) : Expr(oid::kBool), op(o), args(std::move(a)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  BoolOp op;
  std::vector<ExprPtr> args;
};

// IS [NOT] NULL, IS [NOT] TRUE/FALSE/UNKNOWN, IS [NOT] DISTINCT FROM (with cmp).
enum class TestKind { kIsNull, kIsNotNull, kIsTrue, kIsNotTrue, kIsFalse, kIsNotFalse, kIsUnknown, kIsNotUnknown };
class TestExpr final : public Expr {
 public:
  TestExpr(TestKind k, ExprPtr a) : Expr(oid::kBool), kind(k), arg(std::move(a)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  TestKind kind;
  ExprPtr arg;
};

class DistinctExpr final : public Expr {
 public:
  DistinctExpr(ExprPtr a, ExprPtr b, ExprPtr eq, bool neg)
      : Expr(oid::kBool), left(std::move(a)), right(std::move(b)), equal(std::move(eq)), negate(neg) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  ExprPtr left, right, equal;  // equal: the = operator over two ColumnExprs 0 and 1
  bool negate;
};

class CaseExpr final : public Expr {
 public:
  CaseExpr(uint32_t t, int32_t tm) : Expr(t, tm) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  std::vector<ExprPtr> conds, results;  // conds are boolean
  ExprPtr otherwise;                    // may be null (NULL)
};

class CoalesceExpr final : public Expr {
 public:
  CoalesceExpr(uint32_t t, int32_t tm, std::vector<ExprPtr> a, int m = 0)
      : Expr(t, tm), args(std::move(a)), mode(m) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  std::vector<ExprPtr> args;
  int mode;  // 0 coalesce, 1 greatest, 2 least
  ExprPtr compare;  // for greatest/least: "<" over ColumnExpr 0, 1
};

class NullIfExpr final : public Expr {
 public:
  NullIfExpr(ExprPtr a, ExprPtr eq) : Expr(a->type, a->typmod), arg(std::move(a)), equal(std::move(eq)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  ExprPtr arg, equal;  // equal compares (arg, other) given as a two-column row
  ExprPtr other;
};

// x IN (a, b, c): each comparison bound separately; SQL's three-valued OR of them.
class InListExpr final : public Expr {
 public:
  InListExpr() : Expr(oid::kBool) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  std::vector<ExprPtr> tests;  // arg = item_i
  bool negate = false;
};

// Subqueries: EXISTS, scalar, IN (subquery). The plan runs with ctx.outer = the current row.
// kRowCompare: (a, b) op (SELECT x, y): test over the left row (lhs) and the subquery's one row,
// NULL when it has none.
enum class SubqueryKind { kExists, kScalar, kAny, kAll, kArray, kRowCompare };
class SubqueryExpr final : public Expr {
 public:
  SubqueryExpr(SubqueryKind k, uint32_t t, int32_t tm) : Expr(t, tm), kind(k) {}
  ~SubqueryExpr() override;
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  SubqueryKind kind;
  std::shared_ptr<Operator> plan;
  ExprPtr test;  // kAny/kAll/kRowCompare: compares (outer value = col 0, sub value = col 1)
  ExprPtr lhs;   // kAny/kAll/kRowCompare left side, evaluated on the outer row
  bool correlated = false;
  bool hashable = false;  // kAny with "=" over integers or over text: probe a hash set
  mutable uint64_t cached_run = 0;
  mutable Value cache;
  // Uncorrelated kAny/kAll: the subquery's values, read once per statement execution.
  mutable uint64_t rows_run = 0;
  mutable size_t row_count = 0;
  mutable std::vector<Value> rows;  // kept only when no hash set answers
  mutable std::unordered_set<int64_t> int_set;
  mutable std::unordered_set<std::string> text_set;
  mutable bool rows_have_null = false;

 private:
  Value eval_any_all(const Row& row, ExecContext& ctx) const;
  Value run(const Row& row, ExecContext& ctx) const;  // the subquery's value (kRowCompare: its row)
};

// ARRAY[a, b, ...]: a one-dimensional array, or (when the items are arrays) one more dimension.
class ArrayExpr final : public Expr {
 public:
  ArrayExpr(uint32_t array_type, std::vector<ExprPtr> i) : Expr(array_type), items(std::move(i)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  std::vector<ExprPtr> items;
};

// ROW(a, b, ...), a whole-row reference (t), a row cast to a composite type: a record of the
// items' values under `names`.
class RowExpr final : public Expr {
 public:
  RowExpr(uint32_t t, int32_t tm, std::vector<std::string> n, std::vector<ExprPtr> i)
      : Expr(t, tm), names(std::move(n)), items(std::move(i)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  std::vector<std::string> names;
  std::vector<ExprPtr> items;
};

// (record).field: the field at `index` (NULL for a NULL record).
class FieldSelectExpr final : public Expr {
 public:
  FieldSelectExpr(ExprPtr a, size_t i, uint32_t t, int32_t tm) : Expr(t, tm), arg(std::move(a)), index(i) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override { return "(" + arg->key() + ")." + std::to_string(index); }
  ExprPtr arg;
  size_t index;
};

// UPDATE ... SET (a, b) = (SELECT x, y ...): the sub-SELECT (bound as a scalar subquery of
// ROW(x, y)) runs once per row, for the first of the columns; each column takes its field of
// the row (NULL when the sub-SELECT returned none).
class MultiAssignExpr final : public Expr {
 public:
  struct Source {
    ExprPtr row;
    mutable Value value;
  };
  MultiAssignExpr(std::shared_ptr<const Source> s, size_t i, bool f, uint32_t t, int32_t tm)
      : Expr(t, tm), source(std::move(s)), index(i), first(f) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override { return "multiassign(" + source->row->key() + ")." + std::to_string(index); }
  std::shared_ptr<const Source> source;
  size_t index;
  bool first;
};

// a[i], a[i][j], a[lo:hi]: an element (NULL outside the bounds), or with any slice a sub-array.
class SubscriptExpr final : public Expr {
 public:
  SubscriptExpr(uint32_t t, ExprPtr a) : Expr(t), arg(std::move(a)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  ExprPtr arg;
  std::vector<ExprPtr> lower, upper;  // per subscript; lower null when not a slice or omitted
  std::vector<bool> is_slice_dim;
  bool slice = false;
};

// Assignment into part of a column's value (PostgreSQL's SubscriptingRef assignment and
// FieldStore): UPDATE t SET a[2] = x, c.f = y, c.f[1:2] = z; INSERT INTO t (a[1], a[2]) ....
// The new value is `base`'s (the old column value, NULL for INSERT) with each target's part
// replaced, targets in order (several for one column combine, as PostgreSQL's rewriter does);
// their values and subscripts are computed over the statement's row.
class AssignPartsExpr final : public Expr {
 public:
  // One step into the value: a field of a record, or subscripts of an array.
  struct Step {
    uint32_t type = 0;      // the record or array type stepped into
    int field = -1;         // a record's field, else subscripts
    types::RowShape shape;  // the record's fields (a NULL record becomes one of NULL fields)
    // Subscripts, one per dimension: upper, and for a slice lower (null: the bound omitted).
    std::vector<ExprPtr> lower, upper;
    bool slice = false;
  };
  struct Target {
    std::vector<Step> path;
    ExprPtr value;  // of the type the path ends at
  };
  explicit AssignPartsExpr(ExprPtr b) : Expr(b->type, b->typmod), base(std::move(b)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  ExprPtr base;
  std::vector<Target> targets;

 private:
  Value assign(Value old, const Target& target, size_t step, const Row& row, ExecContext& ctx) const;
};

// x op ANY (array) / x op ALL (array): `test` compares (x = col 0, element = col 1).
class ArrayAnyExpr final : public Expr {
 public:
  ArrayAnyExpr(ExprPtr l, ExprPtr a, ExprPtr t, bool all)
      : Expr(oid::kBool), lhs(std::move(l)), array(std::move(a)), test(std::move(t)), all_(all) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  ExprPtr lhs, array, test;
  bool all_;
};

// A call of a function of CREATE FUNCTION: the session runs its body (SessionServices).
class UserFuncExpr final : public Expr {
 public:
  UserFuncExpr(uint32_t f, std::vector<ExprPtr> a, uint32_t ret, bool is_strict)
      : Expr(ret), function(f), args(std::move(a)), strict(is_strict) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override;
  uint32_t function;
  std::vector<ExprPtr> args;
  bool strict;
};

// A value coerced to a domain (a cast or a column of CREATE DOMAIN's type): the domain's NOT NULL
// and CHECK constraints hold for it or the statement fails (23502, 23514).
class DomainCheckExpr final : public Expr {
 public:
  explicit DomainCheckExpr(ExprPtr a) : Expr(a->type, a->typmod), arg(std::move(a)) {}
  Value eval(const Row& row, ExecContext& ctx) const override;
  std::string key() const override { return "domain(" + domain + "," + arg->key() + ")"; }
  ExprPtr arg;
  std::string domain;                    // its name, for messages
  std::string schema, type_name;         // its schema and bare name, for the error's fields
  uint32_t domain_oid = 0;
  bool not_null = false;
  std::vector<std::string> check_names;
  std::vector<ExprPtr> checks;           // over a one-column row: VALUE
};

// Evaluates a boolean condition: NULL counts as false.
inline bool is_true(const Value& v) { return !v.is_null() && v.as_bool(); }

}  // namespace heliosdb::exec
