// The binder/planner: turns a parse tree into typed expressions and a tree of operators,
// resolving names against a catalog snapshot and choosing access paths.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/type_io.h"
#include "executor/operator.h"
#include "executor/partition.h"
#include "executor/table_access.h"
#include "heliosdb/error.h"
#include "sql/parser.h"

namespace heliosdb::catalog { struct SystemView; }

namespace heliosdb::planner {

// Points e at a 0-based parse-tree location (PostgreSQL's 1-based cursor position) unless it has one.
inline Error& at(Error& e, int location) {
  if (location >= 0 && e.position() == 0) e.with_position(location + 1);
  return e;
}

namespace json = boost::json;

// One column visible to expressions: a FROM item's column, or a computed one.
struct ScopeColumn {
  std::string relation;  // alias or table name ("" for computed)
  std::string name;
  uint32_t type = 0;
  int32_t typmod = -1;
  uint32_t table_oid = 0;
  int16_t attnum = 0;
  bool hidden = false;   // not expanded by * (storage keys)
  bool system = false;   // hidden but found by name: a system column (tableoid)
  bool qualified = false;  // hidden but found by its relation's name: a USING join's right column
};

struct Scope {
  std::vector<ScopeColumn> columns;
  const Scope* parent = nullptr;  // enclosing query, for correlated subqueries
};

// A privilege a statement needs on a relation, checked each time it runs (GRANT and SET ROLE may
// change between a prepare and an execute). as_role: 0 for the current user; a view's owner for
// the relations the view reads.
struct AccessCheck {
  uint32_t relation = 0;
  uint32_t privileges = 0;  // catalog::Privilege bits
  uint32_t as_role = 0;
};

// A bound statement.
struct Plan {
  enum class Kind { kQuery, kInsert, kUpdate, kDelete } kind = Kind::kQuery;
  exec::OperatorPtr root;        // query: its rows; DML: the rows to write (see below)
  std::vector<Column> columns;   // result columns (SELECT list or RETURNING)
  std::string tag;               // "SELECT", "INSERT", "UPDATE", "DELETE"
  std::vector<uint32_t> param_types;

  // DML. INSERT: root yields complete new table rows. UPDATE/DELETE: root yields the old
  // table row followed by its storage key; UPDATE computes new values with `assignments`.
  std::shared_ptr<const catalog::TableDef> table;
  std::unique_ptr<exec::TableWriter> writer;
  std::vector<std::pair<size_t, exec::ExprPtr>> assignments;  // column -> expr over old row
  // Over the new (INSERT, UPDATE) or old (DELETE) row; UPDATE/DELETE: followed by the rest of
  // root's row (the key, joined columns).
  std::vector<exec::ExprPtr> returning;
  // UPDATE/DELETE: the WHERE clause over root's rows, checked again on the newest version of a
  // row another transaction changed meanwhile (READ COMMITTED, as PostgreSQL's EvalPlanQual).
  exec::ExprPtr recheck;
  // UPDATE ... FROM / DELETE ... USING: a target row comes once per joined row; it changes once.
  bool joined = false;
  // INSERT ... ON CONFLICT
  struct OnConflict {
    bool update = false;             // DO UPDATE, else DO NOTHING
    std::vector<uint32_t> arbiters;  // index ids; empty: every unique one (DO NOTHING without a target)
    // DO UPDATE: SET and WHERE over the existing row, its key, then the proposed row (EXCLUDED).
    std::vector<std::pair<size_t, exec::ExprPtr>> assignments;
    exec::ExprPtr where;
  };
  std::optional<OnConflict> on_conflict;
  // A constant expression that failed when folded (1/0): PostgreSQL folds constants while
  // planning, so the error comes before any row or row description; raised when the plan runs.
  std::optional<Error> plan_error;
  std::vector<AccessCheck> access;
  // Data-modifying statements of the WITH clause: each runs to completion before the statement,
  // its RETURNING rows going to `rows`, which the statement's references to it read.
  struct Before {
    std::unique_ptr<Plan> plan;
    std::shared_ptr<std::vector<exec::Row>> rows;
  };
  std::vector<Before> before;
  // Partitioned tables. INSERT (and COPY) into one puts each row in the first leaf partition
  // whose bounds (and its ancestors') hold it; UPDATE moves a row there when it leaves its
  // partition. A partition may have its columns in another order than the table (PostgreSQL
  // matches them by name): a row of the table is written as the leaf's.
  struct Route {
    std::unique_ptr<exec::TableWriter> writer;  // the leaf's (checking its bounds over its own rows)
    exec::PartitionCheck bounds;                // the leaf's bounds over the table's rows
    exec::ColumnMap to_leaf, from_leaf;         // a row of the table as the leaf's, and back
    std::vector<uint32_t> arbiters;             // ON CONFLICT: the leaf's indexes for on_conflict->arbiters
  };
  std::vector<Route> routes;
  // The route of a new row of the partitioned table: 23514 when no partition's bounds hold it.
  Route& route_for(const Row& row, const types::TextContext& text);
  // UPDATE / DELETE of a table with children: the same statement on each descendant (ONLY). A
  // member's RETURNING is over its rows as the table's (`as_table`), then the rest of its root's
  // row (key, joined columns), then tableoid.
  std::vector<std::unique_ptr<Plan>> members;
  exec::ColumnMap as_table;
};

// Automatically updatable views (PostgreSQL's rules) for a view's SELECT: why it is not (the
// error detail), or nullptr; and which of its columns can be written (empty: none, or every
// column when the view is SELECT *).
const char* view_not_updatable(const json::object& select);
std::vector<bool> view_updatable_columns(const json::object& select);

// The AND-ed terms of a boolean expression node (the node itself when it is no AND).
void split_conjuncts(const json::value& node, std::vector<const json::value*>& out);
// The conjunction of bound conditions (null for none, the one for one).
exec::ExprPtr and_all(std::vector<exec::ExprPtr> parts);
// An equality of a left column (before lw) and a right one of the same type: a hash join key
// (left position, right position counted from lw).
bool hash_key(const exec::Expr& c, size_t lw, size_t& left, size_t& right);

// PostgreSQL's FigureColname: the name of an output column computed by node ("?column?" when
// it has none).
std::string figure_colname(const json::value& node);

// Puts a variable back as it was at the end of a scope.
template <class T>
struct Restore {
  explicit Restore(T& v) : ref(v), saved(v) {}
  ~Restore() { ref = saved; }
  T& ref;
  T saved;
};

// A polymorphic type (anyelement, anyarray, anycompatible, ...) made concrete for element type
// elem; other types as they are.
uint32_t polymorphic_instance(uint32_t type, uint32_t elem);

class Binder {
 public:
  // text: the session's DateStyle/TimeZone used to read literals (PostgreSQL reads them once,
  // when the statement is analysed); nullptr means the defaults.
  Binder(const catalog::Catalog& catalog, std::string_view sql, std::vector<uint32_t> param_types,
         const types::TextContext* text = nullptr);

  std::unique_ptr<Plan> bind_statement(const json::object& stmt_node);

  // Off: constants stay as written (how pg_get_expr shows stored expressions).
  void set_folding(bool on) { folding_ = on; }
  // CALL: the FuncCall node that may name a procedure (anywhere else a procedure is 42809).
  void set_procedure_call(const boost::json::object* call) { procedure_call_ = call; }
  // Binds a stored expression (DEFAULT, CHECK) over a table's columns.
  exec::ExprPtr bind_stored(const std::string& expr_json, const catalog::TableDef* table);
  // Binds what a writer of table computes and checks: CHECK constraints, generated columns,
  // and (with_defaults, for foreign key actions) the columns' DEFAULTs.
  void prepare_writer(exec::TableWriter& writer, const catalog::TableDef& table, bool with_defaults = false);
  // Binds an expression with no columns in scope and coerces it for assignment to a column.
  exec::ExprPtr bind_for_column(const json::value& node, uint32_t type, int32_t typmod, const std::string& colname);

  // Resolves a TypeName node to (oid, typmod); throws 42704 for unknown types.
  // A domain resolves to its base type; `domain` (when given) is set to the domain's OID (0 for
  // any other type).
  std::pair<uint32_t, int32_t> resolve_type(const json::object& type_name, uint32_t* domain = nullptr);
  exec::ExprPtr bind_user_function(const std::string& schema, const std::string& name, std::vector<exec::ExprPtr>&& args,
                                   const std::vector<std::string>& arg_names, int location, bool as_procedure = false);
  // A user aggregate's transition or final function called over a row of arg_types: the
  // CREATE FUNCTION function fn_id, else the built-in `name`; nullptr when the types do not fit.
  exec::ExprPtr bind_support_call(const std::string& name, uint32_t fn_id, const std::vector<uint32_t>& arg_types,
                                  bool* strict, int location);
  // What CREATE AGGREGATE's SFUNC / FINALFUNC name with these argument types: a CREATE FUNCTION
  // function's id, 0 for a built-in, nullopt for none.
  std::optional<uint32_t> find_support_function(const std::string& schema, const std::string& name,
                                                const std::vector<uint32_t>& arg_types);
  // e coerced to the domain: checked against its NOT NULL and CHECK constraints.
  exec::ExprPtr domain_check(exec::ExprPtr e, uint32_t domain);
  // A column's DEFAULT: its own, else its domain's ("" when neither).
  const std::string& column_default(const catalog::ColumnDef& c) const;

  const std::vector<uint32_t>& param_types() const { return param_types_; }
  // A partition's bounds over the rows of row_table (its own, or one with the same column names).
  exec::PartitionBound partition_bound(const catalog::TableDef& part, const catalog::TableDef& row_table);

 private:
  friend struct SelectBinder;
  struct AggContext;

  // Queries
  exec::OperatorPtr bind_select(const json::object& select, const Scope* parent, Scope& out_scope);
  // emit_key: a single plain table also yields its rows' storage keys (FOR UPDATE).
  exec::OperatorPtr bind_from(const json::array& from, const Scope* parent, Scope& scope,
                              std::vector<const json::value*>& where_conjuncts, bool emit_key = false);
  // SELECT ... FOR UPDATE / FOR SHARE over op (the FROM table's rows and keys, filtered).
  struct Locking;
  exec::OperatorPtr bind_locking(const json::object& select, exec::OperatorPtr op, const Scope& scope,
                                 const Locking& locking);
  // LIMIT / OFFSET; FETCH ... WITH TIES also returns the rows whose order_cols equal the last one's.
  exec::OperatorPtr bind_limit(const json::object& select, exec::OperatorPtr op,
                               const std::vector<size_t>* order_cols = nullptr);
  exec::OperatorPtr bind_system_scan(const catalog::SystemView& view, const std::string& alias, const json::array* colnames,
                                     Scope& scope);
  exec::OperatorPtr bind_from_item(const json::value& item, const Scope* parent, Scope& scope);
  // A FROM item that may be LATERAL, bound seeing the columns of left (the items before it):
  // the operator when it refers to them, else nullptr (scope left empty: bind it plainly).
  exec::OperatorPtr bind_lateral(const json::value& item, const Scope& left, const Scope* parent, Scope& scope);
  // The comma join of op (over scope; FROM item left_item when it is one) and right (FROM item
  // right_item, when one): WHERE equalities between the sides become index lookups or hash
  // keys (equijoin). scope becomes both sides' columns.
  exec::OperatorPtr comma_join(exec::OperatorPtr op, Scope& scope, exec::OperatorPtr right, const Scope& right_scope,
                               const json::value* right_item, const std::vector<const json::value*>& where,
                               const json::value* left_item = nullptr);
  exec::OperatorPtr bind_table_access(std::shared_ptr<const catalog::TableDef> t, const std::string& alias,
                                      Scope& scope, std::vector<exec::ExprPtr>& conjuncts, bool emit_key);
  // The plain table a FROM item names (not a view, CTE, sequence or system view), else null.
  std::shared_ptr<const catalog::TableDef> plain_table(const json::value& item);
  // where's conjuncts bound over the columns of table t (as alias) alone, those that can be.
  std::vector<exec::ExprPtr> table_conjuncts(const catalog::TableDef& t, const json::object& range_var, const Scope* parent,
                                             const std::vector<const json::value*>& where);
  // Join methods by cost (join_choice.cpp). An index nested loop's inner side: the rows of FROM
  // item `item` (table t) found through its primary key or an index on the join columns equal
  // to the outer row's (keys: outer column, t's column), filtered by those of `filters` that
  // read t's columns only; null when no key or index of t serves the join.
  exec::OperatorPtr index_lookup(const json::value& item, std::shared_ptr<const catalog::TableDef> t,
                                 const std::vector<std::pair<size_t, size_t>>& keys,
                                 const std::vector<const json::value*>& filters, bool emit_key);
  // An inner or left equi-join of left and right (FROM items left_item and right_item when they
  // are plain tables; keys: left column, right column; conds: every join condition, over left's
  // columns then right's, the keys' among them): a hash join hashing either side, or an index
  // nested loop looking up right's table for each left row or (inner joins) left's for each
  // right row, whichever the cost model estimates cheapest. The rows are left's columns then
  // right's, whatever the order chosen.
  exec::OperatorPtr equijoin(exec::OperatorPtr left, const json::value* left_item, exec::OperatorPtr right,
                             const json::value* right_item, const std::vector<std::pair<size_t, size_t>>& keys,
                             std::vector<exec::ExprPtr> conds, const std::vector<const json::value*>& filters,
                             exec::JoinType kind);
  // ORDER BY over one plain table: the table columns it sorts on (ascending, NULLs last) for
  // the table's access path to give in that order if it can (order_provided_ says whether it
  // did), with whether a LIMIT follows.
  struct OrderWish {
    std::vector<size_t> columns;
    bool limit = false;
  };
  OrderWish order_wish(const json::object& select) const;
  void add_dependent_groups(AggContext& agg, const Scope& scope);

  // DML
  std::unique_ptr<Plan> bind_insert(const json::object& n);
  std::unique_ptr<Plan> bind_update(const json::object& n);
  std::unique_ptr<Plan> bind_delete(const json::object& n);
  // UPDATE/DELETE: the target rows (table columns, then the key, then the columns of the FROM
  // or USING items they join) that pass WHERE, over the access path its terms allow;
  // plan.recheck gets the WHERE clause again (EvalPlanQual). scope: the target's columns and
  // key; the joined items' columns are added.
  exec::OperatorPtr bind_targets(const json::object& n, const json::array& from, std::shared_ptr<const catalog::TableDef> table,
                                 const std::string& alias, Scope& scope, Plan& plan);
  void bind_returning(Plan& plan, const json::object& n, const Scope& table_scope);
  Scope returning_scope(const Scope& scope, const catalog::TableDef& table, const std::string& alias);
  // UPDATE's SET list (also ON CONFLICT DO UPDATE's): column -> value over scope's rows.
  void bind_assignments(const json::array& targets, const catalog::TableDef& table, const Scope& scope,
                        std::vector<std::pair<size_t, exec::ExprPtr>>& out);
  void bind_on_conflict(const json::object& clause, const catalog::TableDef& table, const std::string& alias, Plan& plan);
  // An assignment to part of column c (res_target's indirection: SET c.f[1] = value, INSERT INTO
  // t (c[1]) ...) added to `slot`, the column's new value so far: when empty, a value computed
  // from `base` (the old column value); several such assignments to one column combine, in order.
  // 42601 when slot holds a whole-column assignment.
  exec::ExprPtr bind_multiassign_select(const json::object& sublink, int64_t columns, const Scope& scope);
  void bind_assignment_parts(exec::ExprPtr& slot, exec::ExprPtr base, const catalog::ColumnDef& c,
                             const json::object& res_target, exec::ExprPtr value, const Scope& scope);
  // DEFAULT assigned to part of a column (res_target has indirection): 0A000, as PostgreSQL.
  [[noreturn]] static void refuse_default_part(const json::object& res_target);

 public:
  // Expressions
  exec::ExprPtr bind_expr(const json::value& node, const Scope& scope);
  exec::ExprPtr coerce(exec::ExprPtr e, uint32_t type, int32_t typmod, bool explicit_cast, int location = -1);
  // e coerced for assignment to a column (or, for the 42804 message when it cannot be, an
  // array element or slice, or a record's field named `colname`).
  enum class AssignTarget { kColumn, kSubscripted, kSubfield };
  exec::ExprPtr coerce_assignment(exec::ExprPtr e, uint32_t type, int32_t typmod, const std::string& colname,
                                  AssignTarget target = AssignTarget::kColumn);
  exec::ExprPtr make_operator(const std::string& op, exec::ExprPtr l, exec::ExprPtr r, int location);
  // The call of resolved function f: arguments coerced to its parameter types (polymorphic
  // ones to the element type the arguments agree on), constants folded.
  // variadic_array: the last argument is the VARIADIC array (f(x, VARIADIC arr)).
  exec::ExprPtr make_call(const exec::FuncDef* f, std::vector<exec::ExprPtr> args, int location,
                          bool variadic_array = false);
  const catalog::SystemView* system_view(const json::object& range_var) const;
  exec::OperatorPtr bind_range_function(const json::object& n, const Scope* parent, Scope& scope);
  exec::OperatorPtr bind_set_function(const json::object& call, const std::string& fname, const std::string& alias,
                                      const json::array* colnames, const Scope* parent, Scope& scope);
  std::deque<json::value> keep_json_;  // parse trees made while binding (inlined functions)
  // Window function calls of the SELECT list and ORDER BY become columns of a Window operator.
  exec::OperatorPtr bind_windows(const json::object& select, exec::OperatorPtr op, Scope& scope);
  // The window functions of the SELECT list and ORDER BY; in an aggregate query (agg_ set) over
  // its groups and aggregate results, as placeholders (see window_columns_).
  std::vector<exec::WindowFunction> bind_window_calls(const json::object& select, Scope& scope);
  exec::OperatorPtr bind_set_functions(const json::array& targets, exec::OperatorPtr op, Scope& scope,
                                       std::map<size_t, size_t>& columns);
  // Evaluates an arithmetic function of constants now (PostgreSQL's constant folding).
  exec::ExprPtr fold(std::unique_ptr<exec::FuncExpr> e);

  exec::ExprPtr make_condition(exec::ExprPtr e, const char* clause);
  // The table a RangeVar names (42P01 when none). A view is refused unless use is kRead: 0A000
  // for kWrite (INSERT, UPDATE, DELETE, FOR UPDATE), 42809 "is not a table" for kTable (DDL).
  enum class Use { kRead, kWrite, kTable };
  std::shared_ptr<const catalog::TableDef> lookup_table(const json::object& range_var, Use use = Use::kTable);

 private:
  exec::ExprPtr bind_column_ref(const json::object& n, const Scope& scope);
  exec::ExprPtr bind_func_call(const json::object& n, const Scope& scope);
  exec::ExprPtr bind_a_expr(const json::object& n, const Scope& scope);
  exec::ExprPtr bind_row_comparison(const std::string& op, const json::object& left_row, const json::object& right_row,
                                    const Scope& scope, int location);
  exec::ExprPtr bind_const(const json::object& n);
  // A SubLink; row_op: the A_Expr "row op (SELECT ...)" whose right side it is (a row comparison).
  exec::ExprPtr bind_sublink(const json::object& n, const Scope& scope, const json::object* row_op = nullptr);
  exec::ExprPtr bind_row_sublink(exec::SubqueryKind kind, const std::string& op, const json::object& row, int location,
                                 const Scope& scope, exec::OperatorPtr plan, const Scope& sub_scope, bool correlated);
  exec::ExprPtr bind_array(const json::object& n, const Scope& scope, uint32_t want_type);
  // ROW(...); an item of unknown type (a literal, NULL) takes unknown_as's type at its position
  // when there is one (the other side of a comparison), else text.
  exec::ExprPtr bind_row(const json::object& n, const Scope& scope, const std::vector<uint32_t>* unknown_as = nullptr);
  exec::OperatorPtr bind_record_function(const json::object& call, const std::string& fname, const json::array* coldefs,
                                         bool ordinality, const std::string& alias, const json::array* colnames,
                                         const Scope& args_scope, Scope& scope);
  exec::ExprPtr whole_row(const std::string& rel, const Scope& s, int depth);
  exec::ExprPtr select_field(exec::ExprPtr arg, const std::string& name, int location);
  exec::ExprPtr bind_subscripts(exec::ExprPtr arg, std::span<const json::value> ind, const Scope& scope, int location);
  exec::ExprPtr bind_subscript(const json::value& node, const Scope& scope, int location);
  static void check_subscript_count(size_t n, int location);  // 54000 past PostgreSQL's 6 dimensions
  exec::ExprPtr bind_indirection(const json::object& n, const Scope& scope);
  exec::ExprPtr bind_any_all(const json::object& n, const Scope& scope);

  // WITH: the common table expressions in scope, innermost last. A reference binds the CTE's
  // query in its place; inside its own recursive term it reads the working table instead.
  struct Cte {
    std::string name;
    const json::object* query;           // SelectStmt
    const json::array* colnames;         // aliascolnames, or nullptr
    const Scope* parent;                 // the scope the WITH's query sees outside itself
    std::shared_ptr<std::vector<exec::Row>> worktable;  // set while binding its recursive term
    std::vector<ScopeColumn> columns;    // the non-recursive term's columns (recursive CTEs)
    bool recursive = false;              // WITH RECURSIVE and its query refers to itself
    bool binding = false;                // its own query is being bound: the name means what it meant outside
    int location = -1;
    int depth = 0;                       // the subquery level of its WITH
    bool dml = false;                    // INSERT/UPDATE/DELETE: worktable holds its RETURNING rows
    bool has_returning = false;
    const json::object* search = nullptr;  // SEARCH {DEPTH|BREADTH} FIRST BY ... SET ... (search_cycle.cpp)
    const json::object* cycle = nullptr;   // CYCLE ... SET ... [TO ... DEFAULT ...] USING ...
    uint32_t mark_type = 0;                // the cycle mark's type: its TO and DEFAULT values' common type
    int32_t mark_typmod = -1;
    bool referenced = false;               // its query has been bound for a reference
  };
  std::deque<Cte> ctes_;
  // Puts a WITH clause's queries in scope (ctes_ from `mark` on, popped by the caller); its
  // INSERT/UPDATE/DELETE are bound now into before_ (top level only).
  void push_ctes(const json::object& with, const Scope* parent, bool top_level);
  std::unique_ptr<Plan> bind_dml(const json::value& stmt);
  // INSERT/UPDATE/DELETE (verb) statement n on an automatically updatable view, rewritten onto
  // its table (view_dml.cpp); nullopt when n's target is no view.
  std::optional<json::object> rewrite_view_dml(std::string_view verb, const json::object& n);
  class WithScope {
   public:
    WithScope(Binder& b, const json::object& statement);
    ~WithScope();

   private:
    Binder& b_;
    size_t mark_;
  };
  void finish_plan(Plan& plan);
  std::vector<Plan::Before> before_;
  // Per statement in before_: its target table and the access_ entries binding it added.
  struct DmlWrite {
    uint32_t table;
    size_t access_begin, access_end;
  };
  std::vector<DmlWrite> dml_writes_;
  int select_depth_ = 0;  // nested bind_select calls (1: the statement's own query)
  bool top_select_ = false;  // the statement is a SELECT (its WITH may hold data-modifying statements)
  std::optional<uint32_t> main_write_;  // the table the statement itself changes
  int dml_depth_ = 0;     // nested INSERT/UPDATE/DELETE bindings
  bool keep_unknown_outputs_ = false;  // for the next bind_select: INSERT's source query (see there)
  // Inheritance and partitions (partitions.cpp).
  std::vector<std::shared_ptr<const catalog::TableDef>> descendants(uint32_t id) const;
  // A partition's bounds and its ancestors', over the rows of row_table (by column name).
  exec::PartitionCheck partition_check(const catalog::TableDef& t, const catalog::TableDef& row_table);
  void partition_routes(const catalog::TableDef& t, Plan& plan);
  void bind_members(const json::object& n, const catalog::TableDef& table, Plan& plan);
  // While bind_members binds a descendant: the statement's table (RETURNING is over its columns;
  // privileges are checked on it alone, as PostgreSQL).
  const catalog::TableDef* member_of_ = nullptr;
  exec::OperatorPtr bind_inheritance_scan(std::shared_ptr<const catalog::TableDef> t, const json::object& rv, const Scope* parent,
                                          const std::string& alias, const json::array* colnames, Scope& scope);
  exec::OperatorPtr bind_view(std::shared_ptr<const catalog::TableDef> view, const std::string& alias,
                              const json::array* colnames, Scope& scope);
  std::vector<uint32_t> expanding_views_;
  std::vector<uint32_t> view_owners_;  // owners of the views being bound: their reads are checked as them
  std::vector<AccessCheck> access_;
  void note_access(const catalog::TableDef& t, uint32_t privileges);                   // views being bound (recursion check)
  std::vector<std::shared_ptr<json::value>> view_queries_;  // parse trees of the views bound
  // Window FuncCall -> its column and type: a scope column, or (in an aggregate query) the
  // position after the aggregate's results, which are known only once the query is bound:
  // window_base_ then holds their number.
  struct WindowColumn {
    size_t index;
    uint32_t type;
    bool after_aggregate = false;
  };
  std::map<const json::object*, WindowColumn> window_columns_;
  std::shared_ptr<size_t> window_base_;
  Cte* find_cte(const json::object& range_var);  // the CTE an unqualified name refers to
  exec::OperatorPtr bind_cte_reference(Cte& cte, const json::object& range_var, Scope& scope);
  exec::OperatorPtr bind_recursive_cte(Cte& cte, Scope& out);
  // SEARCH and CYCLE (search_cycle.cpp), rewritten as PostgreSQL's rewriteSearchCycle.c does:
  // columns added to each side of the CTE's UNION, the recursive side stopping at cycle rows.
  void bind_cycle_mark(Cte& cte);
  void check_unreferenced_search_cycle(size_t first_cte);
  void check_search_cycle_form(const Cte& cte);
  std::vector<ScopeColumn> search_cycle_columns(const Cte& cte);
  const json::object* search_cycle_rterm(const Cte& cte, const json::object& rterm);
  void check_search_cycle_names(const Cte& cte, const std::vector<ScopeColumn>& cols);
  exec::OperatorPtr search_cycle_project(const Cte& cte, exec::OperatorPtr op, const std::vector<ScopeColumn>& in,
                                         const std::vector<ScopeColumn>& cols, bool recursive_side, std::vector<ScopeColumn>& added);

  const catalog::Catalog& catalog_;
  std::string_view sql_;
  const types::TextContext* text_;
  std::vector<uint32_t> param_types_;
  std::optional<Error> plan_error_;
  AggContext* agg_ = nullptr;  // set while binding the post-aggregation parts of a query
  int subquery_depth_ = 0;
  OrderWish order_wish_;        // for the next bind_table_access
  bool order_provided_ = false;  // whether the last bind_table_access gave the order wished
  // The WHERE conjuncts of the query whose FROM is being bound, while a table there may choose
  // its access path by them (the sides of inner joins, the left of left joins).
  const std::vector<const json::value*>* from_where_ = nullptr;
  size_t outer_refs_ = 0;  // OuterColumnExprs made so far (tells correlated subqueries apart)
  bool folding_ = true;    // set_folding
  const boost::json::object* procedure_call_ = nullptr;
  // While the FROM clause of a SELECT ... FOR UPDATE / FOR SHARE is bound (not its subqueries):
  // its plain tables' rows carry their storage keys, and its JOIN conditions are kept for the
  // READ COMMITTED re-check of rows that changed.
  struct Locking {
    std::map<std::string, std::shared_ptr<const catalog::TableDef>> tables;  // by alias
    std::vector<const json::value*> quals;  // JOIN ... ON conditions
    struct Using {
      std::string left, right, column;  // relations and the column of JOIN ... USING (column)
    };
    std::vector<Using> usings;
    bool outer = false;  // an outer join
  };
  Locking* locking_ = nullptr;
};

}  // namespace heliosdb::planner
