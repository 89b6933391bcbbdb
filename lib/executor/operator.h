// Pull-based physical operators: open(), then next() until it returns false, then close().
// A portal can stop pulling after N rows and resume later.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/expr.h"
#include "heliosdb/result.h"

namespace heliosdb::catalog { struct SystemView; }

namespace heliosdb::exec {

// The planner's estimate for a node (PostgreSQL's Plan startup_cost, total_cost, plan_rows and
// plan_width), in PostgreSQL's cost units (a sequential page read costs 1).
struct Estimate {
  double startup = 0, total = 0;  // before the first row; for all of them
  double rows = 0;
  int width = 0;                  // average bytes of a row
};

enum class JoinType { kInner, kLeft, kRight, kFull, kCross };
enum class SetOpKind { kUnion, kIntersect, kExcept };

// What a node does, in the terms the planner's cost model (planner/estimate.cpp) needs; the
// make_* functions below fill it. Expressions point into the node, which owns them.
struct PlanInfo {
  enum class Kind {
    kOther, kSeqScan, kKeyScan, kIndexScan, kFilter, kProject, kSort, kLimit, kAggregate, kDistinct, kUnique,
    kValues, kSeries, kUnnest, kHashJoin, kNestedLoop, kLateralJoin, kSetOp, kRecursiveUnion, kRows, kProjectSet,
    kSystemScan, kSequenceScan, kWindow, kLockRows, kBorrowed
  };
  Kind kind = Kind::kOther;
  const catalog::TableDef* table = nullptr;  // scans (kKeyScan: through its primary key)
  const catalog::IndexDef* index = nullptr;  // kIndexScan
  // Scans: the key columns' equalities, then the next column's bounds. kSeries: start, stop,
  // step. kUnnest: the arrays. kProject: the outputs. kAggregate: the group keys. kLimit: the
  // limit, then the offset (either may be null). kValues: the first row's values.
  std::vector<const Expr*> exprs;
  std::vector<const Expr*> lower, upper;
  bool lower_inclusive = true, upper_inclusive = true;
  const Expr* predicate = nullptr;  // kFilter; a join's condition or residual
  std::vector<size_t> left_keys, right_keys;  // kHashJoin; kDistinct / kUnique / kSort: the columns
  JoinType join = JoinType::kInner;
  SetOpKind set_op = SetOpKind::kUnion;
  bool all = false;
  size_t count = 0;  // kValues: rows; kAggregate / kWindow: the functions
  // kProjectSet: each set-returning function's kind (SetFunction::Kind) and arguments.
  std::vector<std::pair<int, std::vector<const Expr*>>> functions;
};

// The expressions of v, for PlanInfo.
std::vector<const Expr*> expr_pointers(const std::vector<ExprPtr>& v);

class Operator {
 public:
  virtual ~Operator() = default;
  void open(ExecContext& ctx) {
    if (!stats_) return do_open(ctx);
    stats_->loop_base = stats_->total_ns;
    Timer t(*stats_);
    ++stats_->loops;
    stats_->started = false;
    do_open(ctx);
  }
  bool next(Row& row) {
    if (!stats_) return do_next(row);
    Timer t(*stats_);
    bool got = do_next(row);
    stats_->rows += got;
    if (!stats_->started) {
      stats_->started = true;
      stats_->first_ns += stats_->total_ns - stats_->loop_base + t.elapsed();  // this loop's time so far
    }
    return got;
  }
  void close() { do_close(); }
  // EXPLAIN: the node as PostgreSQL would name it ("Seq Scan on t"; "" for a step that is no
  // node of its own there, as a projection), and its inputs.
  virtual std::string describe() const { return "Result"; }
  virtual std::vector<const Operator*> inputs() const { return {}; }
  std::vector<Column> columns;  // output shape
  PlanInfo plan;                // what it is, for the cost model
  // The planner's estimate (planner::estimate), shown by EXPLAIN; set when asked for.
  mutable Estimate estimate;

  // EXPLAIN ANALYZE: what this node did, counted once instrument() is called on the tree.
  struct Stats {
    uint64_t loops = 0, rows = 0;
    int64_t first_ns = 0, total_ns = 0;  // to each loop's first row (summed), in all
    int64_t loop_base = 0;               // total_ns when the current loop began
    bool started = false;
  };
  const Stats* stats() const { return stats_.get(); }
  // Counts rows and time from now on, in this node and every input.
  void instrument() const;

 protected:
  virtual void do_open(ExecContext& ctx) = 0;
  virtual bool do_next(Row& row) = 0;
  virtual void do_close() {}

 private:
  class Timer {
   public:
    explicit Timer(Stats& s);
    ~Timer();
    int64_t elapsed() const;
   private:
    Stats& s_;
    int64_t start_;
  };
  mutable std::unique_ptr<Stats> stats_;
};

// EXPLAIN's text: one line per node, children indented under "->"; with costs, each node's
// estimate (the tree's must have been made); with ANALYZE (an instrumented tree that ran), each
// node's actual time, rows and loops (timing: with times). A node that is none of its own in
// PostgreSQL (a filter, a projection) shows as its input, with its own estimate and figures.
std::vector<std::string> explain_lines(const Operator& root, bool analyze = false, bool timing = true, bool costs = false);
// PostgreSQL's "  (cost=0.00..35.50 rows=2550 width=4)".
std::string format_estimate(const Estimate& e);
using OperatorPtr = std::unique_ptr<Operator>;

// Every row of a table in primary-key order, optionally within [begin, end) of encoded keys.
OperatorPtr make_table_scan(std::shared_ptr<const catalog::TableDef> table, std::vector<ExprPtr> key_prefix,
                            std::vector<ExprPtr> lower, bool lower_inclusive,
                            std::vector<ExprPtr> upper, bool upper_inclusive, bool emit_key = false);
// Rows of a table found through a secondary index whose leading columns equal `prefix`, and
// whose next column is within [lower, upper] when those are given (each of the column's own
// type), in the index's order.
OperatorPtr make_index_scan(std::shared_ptr<const catalog::TableDef> table,
                            std::shared_ptr<const catalog::IndexDef> index, std::vector<ExprPtr> prefix,
                            bool emit_key = false, std::vector<ExprPtr> lower = {}, bool lower_inclusive = true,
                            std::vector<ExprPtr> upper = {}, bool upper_inclusive = true);
// With emit_key, a scan appends the row's storage key (bytea) as a last column, for UPDATE/DELETE.
OperatorPtr make_filter(OperatorPtr child, ExprPtr predicate);
OperatorPtr make_project(OperatorPtr child, std::vector<ExprPtr> exprs, std::vector<Column> columns);
struct SortKey {
  size_t column;
  bool descending = false;
  bool nulls_first = false;
  ExprPtr less;  // "<" over ColumnExpr 0 and 1, or null to use compare_values
};
OperatorPtr make_sort(OperatorPtr child, std::vector<SortKey> keys);
// ties (FETCH ... WITH TIES): after the limit, rows whose values there equal the last row's.
OperatorPtr make_limit(OperatorPtr child, ExprPtr limit, ExprPtr offset, std::vector<size_t> ties = {});
OperatorPtr make_distinct(OperatorPtr child, size_t ncols);
// DISTINCT ON: the first of each run of rows with equal values in `columns` (input sorted).
OperatorPtr make_distinct_on(OperatorPtr child, std::vector<size_t> columns);
// A single row (SELECT without FROM) or VALUES lists.
OperatorPtr make_values(std::vector<std::vector<ExprPtr>> rows, std::vector<Column> columns);
// A set-returning PL/pgSQL function in FROM: its rows, read when the scan opens.
OperatorPtr make_function_rows(uint32_t function, std::string name, std::vector<ExprPtr> args, std::vector<Column> columns);
OperatorPtr make_nested_loop_join(OperatorPtr left, OperatorPtr right, ExprPtr condition, JoinType type);
// Equi-join: builds a hash table on the right input's key columns.
OperatorPtr make_hash_join(OperatorPtr left, OperatorPtr right, std::vector<size_t> left_keys,
                           std::vector<size_t> right_keys, ExprPtr residual, JoinType type);
OperatorPtr make_set_op(OperatorPtr left, OperatorPtr right, SetOpKind kind, bool all);
// generate_series(start, stop, step): values from start while `in_range` holds (col 0 = value,
// col 1 = stop), each next one `advance` (col 0 = value, col 1 = step); with_ordinality adds a
// bigint counter column.
OperatorPtr make_series(ExprPtr start, ExprPtr stop, ExprPtr step, ExprPtr advance, ExprPtr up_in_range,
                        ExprPtr down_in_range, bool with_ordinality, std::vector<Column> columns);
// Set-returning functions in a SELECT list (PostgreSQL's ProjectSet): for each input row, as
// many rows as the longest function result, the input row followed by one column per function
// (NULL once a shorter one is exhausted); an input row for which all return nothing yields none.
struct SetFunction {
  // kExpandArray: information_schema._pg_expandarray(array), records (x element, n position).
  // kArrayRows: the rows of a two-dimensional array, each a one-dimensional array of `type`
  // (regexp_matches).
  enum Kind { kUnnest, kIntSeries, kSubscripts, kExpandArray, kArrayRows } kind;
  std::vector<ExprPtr> args;  // over the input row
  uint32_t type;
};
OperatorPtr make_project_set(OperatorPtr child, std::vector<SetFunction> functions);
// WITH RECURSIVE: the non-recursive term's rows, then the recursive term's run over the rows of
// the previous round (put in `worktable` before each run) until a round adds nothing; without
// `all`, rows already produced are dropped.
OperatorPtr make_recursive_union(OperatorPtr base, OperatorPtr recursive, std::shared_ptr<std::vector<Row>> worktable,
                                 bool all, std::vector<Column> columns);
// unnest(array [, array ...]): one row per element, a column per array, as many rows as the
// longest has (NULLs pad the others); with_ordinality adds a bigint counter column;
// split_options: pg_options_to_table, each "name=value" element as two text columns.
// LATERAL: right is opened again for each left row, with ctx.outer set to it.
OperatorPtr make_lateral_join(OperatorPtr left, OperatorPtr right, ExprPtr cond, bool left_join);
OperatorPtr make_unnest(std::vector<ExprPtr> arrays, bool with_ordinality, std::vector<Column> columns, bool split_options = false);
// A sequence read as a relation: one row (last_value, log_cnt, is_called).
OperatorPtr make_sequence_scan(uint32_t sequence_id, std::vector<Column> columns);
// A system relation's rows, asked of the session when the scan opens, each followed by the
// relation's OID (tableoid).
OperatorPtr make_system_scan(const catalog::SystemView* view, std::vector<Column> columns);
// Materialised rows (e.g. a CTE computed once).
OperatorPtr make_rows(std::shared_ptr<std::vector<Row>> rows, std::vector<Column> columns);
// A stand-in for `target`, which it does not own, in a plan the planner only estimates (an
// alternative it may not choose); running it is an internal error.
OperatorPtr make_borrowed(const Operator& target);

// Aggregates ------------------------------------------------------------------------------
struct AggDef {
  std::string name;      // count, sum, avg, min, max, bool_and, bool_or, string_agg, every
  std::vector<ExprPtr> args;  // evaluated on input rows; empty for count(*)
  bool distinct = false;
  ExprPtr filter;        // FILTER (WHERE ...)
  struct Order {
    ExprPtr expr;  // over the input row
    bool descending = false;
    bool nulls_first = false;
  };
  std::vector<Order> order;  // ORDER BY inside the call; WITHIN GROUP's for an ordered-set aggregate
  uint32_t type = 0;     // result type
  uint32_t arg_type = 0;
  // Ordered-set and hypothetical-set aggregates (percentile_cont, rank, ... WITHIN GROUP): the
  // direct arguments, constant within a group (evaluated on its first row); the aggregated
  // arguments are the `order` expressions.
  bool ordered_set = false;
  std::vector<ExprPtr> direct;
  // An aggregate of CREATE AGGREGATE: state = sfunc(state, args...) per row, then finalfunc(state).
  struct UserAggregate {
    uint32_t id = 0;          // its pg_proc OID
    uint32_t stype = 0;
    ExprPtr sfunc;            // over the row (state, arguments...)
    ExprPtr finalfunc;        // over the row (state); none: the state is the result
    ExprPtr init;             // INITCOND as the state type; none: NULL
    bool sfunc_strict = false, final_strict = false;
  };
  std::shared_ptr<const UserAggregate> user;
};
// Output rows: group values, then aggregate results. Without group keys, exactly one row.
OperatorPtr make_aggregate(OperatorPtr child, std::vector<ExprPtr> group, std::vector<AggDef> aggs,
                           bool has_grouping);
// One aggregate fed row by row, its value readable at any point: aggregates OVER a window.
class RunningAggregate {
 public:
  explicit RunningAggregate(AggDef def);
  ~RunningAggregate();
  void reset();
  void add(const Row& row, ExecContext& ctx);  // evaluates the aggregate's arguments on row
  Value value(ExecContext& ctx);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Window functions (PostgreSQL's WindowAgg): each adds a column computed over its partition
// (rows with equal PARTITION BY values) in its ORDER BY order, with the default frame (the
// partition up to the current row's last peer; the whole partition without ORDER BY).
struct WindowFunction {
  std::string name;          // row_number, rank, dense_rank, ntile, lag, lead, first_value,
                             // last_value, nth_value, or an aggregate
  std::vector<ExprPtr> args;
  std::vector<ExprPtr> partition;
  std::vector<AggDef::Order> order;
  std::unique_ptr<RunningAggregate> aggregate;  // for aggregates
  uint32_t type = 0;
  // The frame (aggregates, first_value, last_value, nth_value): PostgreSQL's frameOptions bits
  // (the default 1058 is RANGE UNBOUNDED PRECEDING to CURRENT ROW), and the offsets of
  // n PRECEDING / FOLLOWING (ROWS only).
  int frame_options = 1058;
  int64_t start_offset = 0, end_offset = 0;
};
OperatorPtr make_window(OperatorPtr child, std::vector<WindowFunction> functions);

// Result type of an aggregate over arg_type, or 0 when it has no such variant.
uint32_t aggregate_result_type(const std::string& name, uint32_t arg_type);
bool is_aggregate(const std::string& name);
// percentile_cont, percentile_disc, mode: only with WITHIN GROUP.
bool is_ordered_set_aggregate(const std::string& name);
// rank, dense_rank, percent_rank, cume_dist with WITHIN GROUP (window functions with OVER).
bool is_hypothetical_aggregate(const std::string& name);
// Sort order of two rows of sort keys under `order` (NULLS FIRST/LAST, DESC): <0, 0, >0.
int compare_sort_keys(const Row& x, const Row& y, const std::vector<AggDef::Order>& order);
// An ordered-set aggregate's result from its direct arguments and its group's rows of aggregated
// arguments sorted by `order` (rows with a NULL dropped, but for hypothetical-set aggregates).
Value ordered_set_final(const AggDef& a, const Row& direct, const std::vector<Row>& sorted);

// Encodes row columns [0, n) so equal rows give equal strings (DISTINCT, GROUP BY, UNION).
std::string row_key(const Row& row, size_t n);

}  // namespace heliosdb::exec
