// How many rows conditions keep and how many distinct values columns have: PostgreSQL's
// selfuncs.c and clausesel.c over ANALYZE's statistics (catalog/statistics.h), with PostgreSQL's
// defaults where there are none.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "catalog/catalog.h"
#include "executor/expr.h"
#include "heliosdb/result.h"

namespace heliosdb::planner {

// PostgreSQL's defaults (selfuncs.h) for conditions it has no statistics for.
inline constexpr double kDefaultEqSel = 0.005, kDefaultIneqSel = 0.3333333333333333, kDefaultRangeIneqSel = 0.005,
                        kDefaultMatchSel = 0.005, kDefaultUnkSel = 0.005, kDefaultNumDistinct = 200;

// What the planner takes a table to hold now (PostgreSQL's estimate_rel_size).
struct RelationSize {
  double tuples = 0;  // rows
  double pages = 0;   // 8 kB pages
  // The rows known to be there: tuples, but for a table taken to be 10 pages (its indexes are
  // as small as they are).
  double known_tuples = 0;
  int width = 0;      // bytes of a row's columns (PostgreSQL's get_rel_data_width)
};

// A column of a table that an expression is (PostgreSQL's examine_variable on a Var).
struct ColumnRef {
  const catalog::TableDef* table = nullptr;
  const catalog::ColumnDef* column = nullptr;
  const catalog::ColumnStatistics* stats = nullptr;  // ANALYZE's, when taken with its current type
  double tuples = 0;   // the table's rows
  double rows = 0;     // of them, those the query's conditions on the table keep (tuples when unknown)
  bool unique = false;  // the whole of a primary key or unique index
};

// Per query being estimated: sizes of the tables it reads, looked up once.
class Statistics {
 public:
  explicit Statistics(const catalog::Catalog& catalog) : catalog_(catalog) {}
  const catalog::Catalog& catalog() const { return catalog_; }

  const RelationSize& relation(const catalog::TableDef& t);
  // The average width PostgreSQL gives a value of a column (ANALYZE's avg_width when known).
  int column_width(const catalog::TableDef& t, const catalog::ColumnDef& c);

  // The table column e reads (a column of `columns`, through integer casts), if any. rel_rows:
  // the rows kept of each table by the conditions already applied (by table id).
  std::optional<ColumnRef> examine(const exec::Expr& e, const std::vector<Column>& columns,
                                   const std::map<uint32_t, double>* rel_rows = nullptr);
  // PostgreSQL's get_variable_numdistinct; is_default: no statistics told (200 was guessed).
  double num_distinct(const ColumnRef& c, bool* is_default = nullptr);

  // The fraction of rows (of `columns`) a condition keeps: clause_selectivity.
  double clause_selectivity(const exec::Expr& clause, const std::vector<Column>& columns,
                            const std::map<uint32_t, double>* rel_rows = nullptr);
  // Of conditions ANDed: clauselist_selectivity, which pairs a column's lower and upper bounds
  // into one range.
  double clauselist_selectivity(std::span<const exec::Expr* const> clauses, const std::vector<Column>& columns,
                                const std::map<uint32_t, double>* rel_rows = nullptr);
  // col = col of two tables: eqjoinsel_inner (their most common values matched when both have
  // them, else 1/max(nd1, nd2) of the non-null rows).
  double equijoin_selectivity(const ColumnRef& a, const ColumnRef& b);
  // The distinct values of `group` over input_rows rows: estimate_num_groups.
  double num_groups(std::span<const exec::Expr* const> group, const std::vector<Column>& columns, double input_rows,
                    const std::map<uint32_t, double>* rel_rows = nullptr);

  // col OP value (col = c, col < c, ...) with the value a constant or not known before the
  // query runs (a parameter, an outer column): var_eq_const / var_eq_non_const / scalarineqsel.
  double compare_selectivity(const ColumnRef& c, const std::string& op, const exec::Expr& value);

 private:
  double eq_const(const ColumnRef& c, const Value& v);
  double eq_non_const(const ColumnRef& c);
  double ineq_const(const ColumnRef& c, bool greater, bool equal, const Value& v);
  double like_selectivity(const ColumnRef& c, const exec::FuncExpr& f, const Value& pattern);
  const catalog::Catalog& catalog_;
  std::map<uint32_t, RelationSize> relations_;
};

// PostgreSQL's get_typavgwidth: a type's width, or for a variable-width one a guess from its
// typmod (32 without one).
int type_width(uint32_t type, int32_t typmod);
// Whether e's value is fixed before a row is read: constants, parameters, outer columns and
// non-volatile functions of them.
bool row_independent(const exec::Expr& e);
// A column's lower bound and upper bound together, from the selectivities of each
// (clauselist_selectivity's range pairs: hisel + losel - 1).
double range_selectivity(double lo, double hi, double null_frac);
// The column side of a comparison, looking through integer widenings (int2 = int4 compares in
// the column's terms, as the binder's key terms do).
const exec::Expr* strip_int_cast(const exec::Expr* e);
// The operator of a comparison written the other way round (a < b is b > a).
std::string mirror_comparison(const std::string& op);
// The fraction of NULLs of a column (0 without statistics).
double null_fraction(const ColumnRef& c);
// PostgreSQL's clamp_row_est: at least one row, and a whole number.
double clamp_rows(double rows);

}  // namespace heliosdb::planner
