// Running functions of CREATE FUNCTION (LANGUAGE sql, and a subset of PL/pgSQL) and triggers.
//
// A function is compiled once per catalog: its variables (arguments, DECLAREd variables, FOUND,
// a trigger's NEW/OLD fields and TG_* values) become slots, and every SQL expression or
// statement of its body is bound with each variable it names turned into the parameter of its
// slot ($k). Running it then evaluates plans over the slots' current values.
#include <pg_query.h>

#include <boost/json.hpp>
#include <cmath>

#include "common/array.h"
#include "common/errors.h"
#include "common/record.h"
#include "common/type_io.h"
#include "engine/ddl.h"
#include "engine/session_impl.h"
#include "executor/functions.h"
#include "planner/binder.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;
using sql::field;
using sql::list_field;
using sql::node_body;
using sql::node_type;
using sql::str_field;
using sql::string_node;

namespace {

constexpr int kMaxDepth = 64;  // nested function and trigger calls before 54001
constexpr uint32_t kTriggerType = 2279;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// PL/pgSQL's condition names of RAISE ... USING ERRCODE = 'name' and RAISE name.
const char* condition_sqlstate(const std::string& name) {
  static const std::map<std::string, const char*> names = {
      {"raise_exception", "P0001"}, {"no_data_found", "P0002"}, {"too_many_rows", "P0003"},
      {"assert_failure", "P0004"}, {"unique_violation", "23505"}, {"foreign_key_violation", "23503"},
      {"check_violation", "23514"}, {"not_null_violation", "23502"}, {"restrict_violation", "23001"},
      {"exclusion_violation", "23P01"}, {"integrity_constraint_violation", "23000"},
      {"invalid_parameter_value", "22023"}, {"division_by_zero", "22012"}, {"data_exception", "22000"},
      {"numeric_value_out_of_range", "22003"}, {"invalid_text_representation", "22P02"},
      {"string_data_right_truncation", "22001"}, {"insufficient_privilege", "42501"},
      {"feature_not_supported", "0A000"}, {"serialization_failure", "40001"}, {"deadlock_detected", "40P01"},
      {"object_not_in_prerequisite_state", "55000"}, {"lock_not_available", "55P03"},
      {"undefined_object", "42704"}, {"duplicate_object", "42710"}, {"undefined_table", "42P01"},
      {"invalid_authorization_specification", "28000"}, {"internal_error", "XX000"}};
  auto it = names.find(lower(name));
  return it == names.end() ? nullptr : it->second;
}

// Where a PL/pgSQL body stops: RETURN, EXIT and CONTINUE unwind to their statement.
enum class Flow { kNormal, kReturn, kExit, kContinue };

// One more nested function, trigger or DO block, up to kMaxDepth (54001).
struct RoutineDepth {
  int& depth;
  explicit RoutineDepth(int& d) : depth(d) {
    if (depth >= kMaxDepth)
      throw Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
          .with_hint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.");
    ++depth;
  }
  ~RoutineDepth() { --depth; }
  RoutineDepth(const RoutineDepth&) = delete;
  RoutineDepth& operator=(const RoutineDepth&) = delete;
};

// The assignment "target := expression" (or "="): the expression's text.
std::string_view assigned_expression(std::string_view q) {
  bool quote = false;
  int depth = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    char c = q[i];
    if (c == '\'') quote = !quote;
    if (quote) continue;
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth == 0 && c == ':' && i + 1 < q.size() && q[i + 1] == '=') return q.substr(i + 2);
    if (depth == 0 && c == '=') return q.substr(i + 1);
  }
  raise(sqlstate::kSyntaxError, "syntax error in assignment \"{}\"", q);
}

}  // namespace

// A function made ready to run: its slots and bound plans.
struct SessionImpl::Routine {
  struct Slot {
    std::string name;
    uint32_t type = oid::kText;
    int32_t typmod = -1;
  };
  std::shared_ptr<const catalog::FunctionDef> fn;
  std::shared_ptr<const catalog::TableDef> table;  // a trigger function's table
  uint64_t catalog_version = 0;
  const catalog::Catalog* catalog = nullptr;
  std::vector<Slot> slots;
  std::unordered_map<std::string, size_t> names;  // "x", "new.col", "tg_op" -> slot
  std::vector<uint32_t> param_types;
  // PL/pgSQL
  json::value tree;                       // PLpgSQL_function
  json::array body;                       // its action (the outer block), as a statement list
  std::map<int64_t, size_t> datum_slot;   // datum number of a variable or record field -> slot
  // Record variables (DECLARE r record) by datum number -> name. A record's fields become slots
  // "r.<column>" when a row is first assigned to it, before the statements that read them are bound.
  std::map<int64_t, std::string> records;
  size_t new_first = SIZE_MAX, old_first = SIZE_MAX;
  std::vector<std::pair<size_t, std::string>> defaults;  // DECLARE x type := expression
  std::unordered_map<const void*, std::unique_ptr<planner::Plan>> plans;
  std::unordered_map<const void*, std::shared_ptr<const sql::ParseResult>> parsed;
  // LANGUAGE sql: its statements with arguments as parameters
  std::vector<json::value> statements;

  size_t add(const std::string& name, uint32_t type, int32_t typmod = -1) {
    slots.push_back({name, type, typmod});
    if (!name.empty()) names[name] = slots.size() - 1;
    param_types.push_back(type);
    return slots.size() - 1;
  }

  // Turns every reference to a variable in a parse tree into the parameter of its slot.
  void to_params(json::value& v) const {
    if (v.is_array()) {
      for (auto& x : v.as_array()) to_params(x);
      return;
    }
    if (!v.is_object()) return;
    auto& o = v.as_object();
    if (auto* cr = o.if_contains("ColumnRef")) {
      const auto& fields = list_field(cr->as_object(), "fields");
      std::string name;
      for (const auto& f : fields) {
        if (node_type(f) != "String") return;
        name += (name.empty() ? "" : ".") + std::string(string_node(f));
      }
      // fn.arg (a SQL function's argument qualified by its name) as arg
      if (fields.size() == 2 && string_node(fields[0]) == fn->name && !names.count(name)) name = std::string(string_node(fields[1]));
      auto it = names.find(name);
      if (it == names.end()) return;
      int64_t loc = sql::int_field(cr->as_object(), "location", -1);
      v = json::object{{"ParamRef", json::object{{"number", static_cast<int64_t>(it->second + 1)}, {"location", loc}}}};
      return;
    }
    for (auto& kv : o) to_params(kv.value());
  }
};

namespace {

// Runs one PL/pgSQL function call over its slots.
class PlCall {
 public:
  PlCall(SessionImpl& s, SessionImpl::Routine& r, std::vector<Value>& values) : s_(s), r_(r), values_(values) {}

  // The statements of a block; stops at RETURN / EXIT / CONTINUE.
  Flow run_list(const json::array& stmts) {
    for (const auto& st : stmts) {
      Flow f = run(st);
      if (f != Flow::kNormal) return f;
    }
    return Flow::kNormal;
  }

  std::optional<Value> result;  // RETURN's value (nullopt: RETURN NULL / no RETURN)
  // A set-returning function's rows so far (RETURN NEXT / RETURN QUERY), of these columns.
  std::vector<Row>* set_rows = nullptr;
  std::vector<Column> set_columns;
  bool returned_record = false; // RETURN NEW / OLD: the record is in its slots
  bool returned_old = false;
  std::string exit_label;

 private:
  Value eval(const json::value& expr_node) { return s_.routine_eval(r_, node_body(expr_node), values_); }
  bool condition(const json::value& expr_node) {
    Value v = eval(expr_node);
    return !v.is_null() && v.as_bool();
  }
  void assign(size_t slot, Value v) {
    if (values_.size() < r_.slots.size()) sync();
    const auto& sl = r_.slots[slot];
    values_[slot] = s_.routine_cast(std::move(v), sl.type, sl.typmod);
  }
  size_t slot_of(int64_t varno) {
    auto it = r_.datum_slot.find(varno);
    if (it == r_.datum_slot.end()) unsupported("this PL/pgSQL variable (records other than NEW and OLD)");
    return it->second;
  }

  // Slots a record assignment added (here or in a nested call of the same routine) start NULL.
  void sync() {
    for (size_t i = values_.size(); i < r_.slots.size(); ++i) values_.push_back(Value::null(r_.slots[i].type));
  }

  // Assigns a row to an INTO or FOR target: a record variable, or variables in column order.
  void assign_row(const json::value& target, const std::vector<Column>& columns, const Row* row) {
    if (node_type(target) != "PLpgSQL_row") unsupported("this PL/pgSQL assignment target");
    const auto& fields = list_field(node_body(target), "fields");
    if (fields.size() == 1) {
      auto rec = r_.records.find(sql::int_field(fields[0].as_object(), "varno"));
      if (rec != r_.records.end()) return assign_record(rec->second, columns, row);
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      size_t slot = slot_of(sql::int_field(fields[i].as_object(), "varno"));
      assign(slot, !row || i >= row->size() ? Value::null(r_.slots[slot].type) : (*row)[i]);
    }
  }

  void assign_record(const std::string& name, const std::vector<Column>& columns, const Row* row) {
    for (size_t i = 0; i < columns.size(); ++i) {
      std::string key = name + "." + columns[i].name;
      auto it = r_.names.find(key);
      size_t slot;
      if (it == r_.names.end()) {
        slot = r_.add(key, columns[i].type_oid, columns[i].typmod);
      } else {
        slot = it->second;
        if (r_.slots[slot].type != columns[i].type_oid)
          unsupported(fmt::format("assigning rows with different column types to record \"{}\"", name));
      }
      sync();
      values_[slot] = row && i < row->size() ? (*row)[i] : Value::null(columns[i].type_oid);
    }
  }

  // FOR target IN rows LOOP body END LOOP: the rows are read first, as of the loop's start.
  Flow for_rows(const json::object& n, const std::vector<Column>& columns, const std::vector<Row>& rows) {
    std::string label(str_field(n, "label"));
    for (const Row& row : rows) {
      assign_row(*field(n, "var"), columns, &row);
      Flow f = run_list(list_field(n, "body"));
      if (auto done = loop_flow(f, label)) {
        set_found(true);
        return *done;
      }
    }
    set_found(!rows.empty());
    return Flow::kNormal;
  }

  Flow run(const json::value& st) {
    std::string_view type = node_type(st);
    const auto& n = node_body(st);
    s_.check_cancel();
    if (type == "PLpgSQL_stmt_block") {
      Flow f;
      if (const auto* exc = field(n, "exceptions")) {
        f = run_guarded(n, node_body(*exc));
      } else {
        f = run_list(list_field(n, "body"));
      }
      if (f == Flow::kExit && (exit_label.empty() || exit_label == str_field(n, "label"))) {
        exit_label.clear();
        return Flow::kNormal;
      }
      return f;
    }
    if (type == "PLpgSQL_stmt_assign") {
      const auto& e = node_body(*field(n, "expr"));
      std::string q(str_field(e, "query"));
      assign(slot_of(sql::int_field(n, "varno")), s_.routine_eval_text(r_, &e, std::string(assigned_expression(q)), values_));
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_if") {
      if (condition(*field(n, "cond"))) return run_list(list_field(n, "then_body"));
      for (const auto& ei : list_field(n, "elsif_list")) {
        const auto& b = node_body(ei);
        if (condition(*field(b, "cond"))) return run_list(list_field(b, "stmts"));
      }
      return run_list(list_field(n, "else_body"));
    }
    if (type == "PLpgSQL_stmt_case") {
      if (field(n, "t_expr")) unsupported("CASE expression WHEN ... in PL/pgSQL (write CASE WHEN condition)");
      for (const auto& w : list_field(n, "case_when_list")) {
        const auto& b = node_body(w);
        if (condition(*field(b, "expr"))) return run_list(list_field(b, "stmts"));
      }
      if (sql::bool_field(n, "have_else")) return run_list(list_field(n, "else_stmts"));
      raise("20000", "case not found");
    }
    if (type == "PLpgSQL_stmt_loop" || type == "PLpgSQL_stmt_while") {
      std::string label(str_field(n, "label"));
      while (type == "PLpgSQL_stmt_loop" || condition(*field(n, "cond"))) {
        Flow f = run_list(list_field(n, "body"));
        if (auto done = loop_flow(f, label)) return *done;
      }
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_fori") {
      std::string label(str_field(n, "label"));
      const auto& var = node_body(*field(n, "var"));
      size_t slot = r_.names.at(lower(str_field(var, "refname")));
      Value lo = eval(*field(n, "lower")), hi = eval(*field(n, "upper"));
      if (lo.is_null()) raise(sqlstate::kNullValueNotAllowed, "lower bound of FOR loop cannot be null");
      if (hi.is_null()) raise(sqlstate::kNullValueNotAllowed, "upper bound of FOR loop cannot be null");
      int64_t step = 1;
      if (const auto* b = field(n, "step")) {
        Value sv = eval(*b);
        step = sv.is_null() ? 0 : s_.routine_cast(sv, oid::kInt8, -1).as_int();
        if (step <= 0) raise(sqlstate::kInvalidParameterValue, "BY value of FOR loop must be greater than zero");
      }
      int64_t a = s_.routine_cast(lo, oid::kInt8, -1).as_int(), b = s_.routine_cast(hi, oid::kInt8, -1).as_int();
      bool reverse = sql::bool_field(n, "reverse");
      bool any = false;
      for (int64_t i = a; reverse ? i >= b : i <= b; i += reverse ? -step : step) {
        any = true;
        assign(slot, Value::int8(i));
        Flow f = run_list(list_field(n, "body"));
        if (auto done = loop_flow(f, label)) {
          set_found(true);
          return *done;
        }
      }
      set_found(any);
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_fors") {
      std::vector<Column> columns;
      uint64_t count = 0;
      auto rows = s_.routine_statement(r_, node_body(*field(n, "query")), values_, 0, count, &columns);
      return for_rows(n, columns, rows);
    }
    if (type == "PLpgSQL_stmt_dynfors") {
      std::vector<Column> columns;
      uint64_t count = 0;
      auto rows = dynamic(n, "query", 0, count, &columns);
      return for_rows(n, columns, rows);
    }
    if (type == "PLpgSQL_stmt_exit") {
      bool is_exit = sql::bool_field(n, "is_exit");
      if (const auto* c = field(n, "cond"); c && !condition(*c)) return Flow::kNormal;
      exit_label = std::string(str_field(n, "label"));
      return is_exit ? Flow::kExit : Flow::kContinue;
    }
    if (type == "PLpgSQL_stmt_return") {
      const json::value* e = field(n, "expr");
      // The RETURN the parser adds at the end (no line): falling off the end of the function.
      if (!e && !field(n, "lineno") && !field(n, "retvarno")) return Flow::kNormal;
      if (!e) {
        if (field(n, "retvarno")) return_record(sql::int_field(n, "retvarno", -1));
        else result.reset();
        return Flow::kReturn;
      }
      std::string q = lower(std::string(str_field(node_body(*e), "query")));
      while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) q.pop_back();
      while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front()))) q.erase(q.begin());
      if ((q == "new" || q == "old") && r_.new_first != SIZE_MAX) {
        returned_record = true;
        returned_old = q == "old";
        return Flow::kReturn;
      }
      result = eval(*e);
      return Flow::kReturn;
    }
    if (type == "PLpgSQL_stmt_raise") return raise_stmt(n), Flow::kNormal;
    if (type == "PLpgSQL_stmt_return_next" || type == "PLpgSQL_stmt_return_query") {
      if (!set_rows) raise("42804", "cannot use RETURN {} in a non-SETOF function", type.ends_with("next") ? "NEXT" : "QUERY");
      if (type.ends_with("next")) return_next(n);
      else return_query(n);
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_call") {
      s_.routine_call(r_, node_body(*field(n, "expr")), values_);
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_perform") {
      auto rows = s_.routine_query(r_, node_body(*field(n, "expr")), values_, 1);
      set_found(!rows.empty());
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_execsql") {
      const auto& e = node_body(*field(n, "sqlstmt"));
      bool into = sql::bool_field(n, "into");
      bool strict = sql::bool_field(n, "strict");
      uint64_t count = 0;
      std::vector<Column> columns;
      auto rows = s_.routine_statement(r_, e, values_, into ? (strict ? 2 : 1) : 0, count, &columns);
      row_count_ = count;
      set_found(count > 0);
      if (into) assign_into(n, columns, rows, strict, true);
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_dynexecute") {  // EXECUTE text [INTO [STRICT] target] [USING ...]: FOUND stays
      bool into = sql::bool_field(n, "into");
      bool strict = sql::bool_field(n, "strict");
      uint64_t count = 0;
      std::vector<Column> columns;
      auto rows = dynamic(n, "query", into ? (strict ? 2 : 1) : 0, count, &columns);
      row_count_ = count;
      if (into) assign_into(n, columns, rows, strict, false);
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_getdiag") {
      for (const auto& item : list_field(n, "diag_items")) {
        const auto& d = node_body(item);
        if (sql::int_field(d, "kind") != 0) unsupported("GET DIAGNOSTICS items other than ROW_COUNT");
        assign(slot_of(sql::int_field(d, "target")), Value::int8(static_cast<int64_t>(row_count_)));
      }
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_assert") {
      Value ok = eval(*field(n, "cond"));
      if (ok.is_null() || !ok.as_bool()) {
        std::string msg = "assertion failed";
        if (const auto* m = field(n, "message")) {
          Value mv = eval(*m);
          if (!mv.is_null()) msg = s_.routine_text(mv);
        }
        raise("P0004", "{}", msg);
      }
      return Flow::kNormal;
    }
    if (type == "PLpgSQL_stmt_null") return Flow::kNormal;
    std::string what(type);
    if (what.starts_with("PLpgSQL_stmt_")) what = what.substr(13);
    unsupported(fmt::format("PL/pgSQL statement {}", what));
  }

  // EXECUTE's statement (the text in text_field) with its USING values: its rows.
  std::vector<Row> dynamic(const json::object& n, const char* text_field, size_t limit, uint64_t& count,
                           std::vector<Column>* columns = nullptr) {
    Value text = eval(*field(n, text_field));
    if (text.is_null()) raise(sqlstate::kNullValueNotAllowed, "query string argument of EXECUTE is null");
    std::vector<Value> params;
    for (const auto& p : list_field(n, "params")) params.push_back(eval(p));
    return s_.run_dynamic(s_.routine_text(text), params, limit, count, columns);
  }

  // Appends a row of the function's result columns (cast to their types).
  void add_row(Row row) {
    if (row.size() != set_columns.size())
      raise(sqlstate::kDatatypeMismatch, "structure of query does not match function result type");
    for (size_t i = 0; i < row.size(); ++i) row[i] = s_.routine_cast(std::move(row[i]), set_columns[i].type_oid, set_columns[i].typmod);
    set_rows->push_back(std::move(row));
  }

  // RETURN NEXT expression: a value, a record variable, or a record value of the result's columns.
  void return_next(const json::object& n) {
    const json::value* e = field(n, "expr");
    std::string q;
    if (e) {
      q = lower(std::string(str_field(node_body(*e), "query")));
      std::erase_if(q, [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    } else {
      // RETURN NEXT r: libpg_query's tree keeps no variable for it. Without OUT parameters only a
      // record or composite variable can be meant: it is known when the function has one.
      std::vector<std::string> candidates;
      for (const auto& [varno, name] : r_.records) candidates.push_back(name);
      for (const auto& slot : r_.slots)
        if (record::is_record(slot.type) && slot.name.find('.') == std::string::npos) candidates.push_back(slot.name);
      if (candidates.size() != 1 || set_columns.size() < 2)
        unsupported("RETURN NEXT without an expression, or of a variable in a function with several record variables");
      q = candidates[0];
      if (auto it = r_.names.find(q); it != r_.names.end()) {  // a composite variable: its fields
        const Value& v = values_[it->second];
        return add_row(v.is_null() ? Row(set_columns.size(), Value::null(oid::kText)) : record::decode(v).values);
      }
    }
    if (!e || (set_columns.size() > 1 && std::ranges::any_of(r_.records, [&](const auto& rec) { return rec.second == q; }))) {
      Row row;
      for (const auto& c : set_columns) {
        auto it = r_.names.find(q + "." + c.name);
        if (it == r_.names.end()) raise(sqlstate::kDatatypeMismatch, "wrong record type supplied in RETURN NEXT");
        row.push_back(values_[it->second]);
      }
      return add_row(std::move(row));
    }
    Value v = eval(*e);
    if (set_columns.size() > 1 && record::is_record(v.type()) && !v.is_null()) return add_row(record::decode(v).values);
    add_row(Row{std::move(v)});
  }

  // RETURN QUERY query / RETURN QUERY EXECUTE text [USING ...]: the rows, appended.
  void return_query(const json::object& n) {
    uint64_t count = 0;
    std::vector<Row> rows;
    if (const auto* q = field(n, "query")) {
      rows = s_.routine_statement(r_, node_body(*q), values_, 0, count);
    } else {
      rows = dynamic(n, "dynquery", 0, count);
    }
    for (auto& row : rows) add_row(std::move(row));
    row_count_ = rows.size();
    set_found(!rows.empty());
  }

  // SELECT / EXECUTE ... INTO [STRICT] target: the first row (of at most two fetched) into its
  // variables. PostgreSQL hints at LIMIT 1 for SELECT INTO only.
  void assign_into(const json::object& n, const std::vector<Column>& columns, const std::vector<Row>& rows, bool strict,
                   bool hint) {
    if (strict && rows.empty()) raise("P0002", "query returned no rows");
    if (strict && rows.size() > 1) {
      Error e("P0003", "query returned more than one row");
      if (hint) e.with_hint("Make sure the query returns a single row, or use LIMIT 1.");
      throw e;
    }
    assign_row(*field(n, "target"), columns, rows.empty() ? nullptr : &rows[0]);
  }

  // BEGIN ... EXCEPTION WHEN ...: the body as a subtransaction; an error it raises that a
  // handler's conditions match is undone and the handler runs (SQLSTATE, SQLERRM set).
  Flow run_guarded(const json::object& block, const json::object& exceptions) {
    auto sp = s_.block_savepoint();
    try {
      return run_list(list_field(block, "body"));
    } catch (const Error& e) {
      for (const auto& x : list_field(exceptions, "exc_list")) {
        const auto& handler = node_body(x);
        bool match = false;
        for (const auto& c : list_field(handler, "conditions"))
          match |= condition_matches(lower(str_field(node_body(c), "condname")), e.sqlstate());
        if (!match) continue;
        s_.rollback_block(sp);  // variables keep what the block assigned, as in PostgreSQL
        if (auto it = r_.names.find("sqlstate"); it != r_.names.end()) values_[it->second] = Value::text(e.sqlstate());
        if (auto it = r_.names.find("sqlerrm"); it != r_.names.end()) values_[it->second] = Value::text(e.message());
        return run_list(list_field(handler, "action"));
      }
      throw;
    }
  }

  static bool condition_matches(const std::string& cond, const std::string& state) {
    if (cond == "others") return state != "57014" && state != "P0004";  // not QUERY_CANCELED, ASSERT_FAILURE
    std::string code = cond.size() == 5 && std::all_of(cond.begin(), cond.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); })
                           ? cond
                           : "";
    if (code.empty()) {
      const char* named = condition_sqlstate(cond);
      if (!named) raise(sqlstate::kUndefinedObject, "unrecognized exception condition \"{}\"", cond);
      code = named;
    }
    std::string upper = code;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (upper.ends_with("000")) return state.compare(0, 2, upper, 0, 2) == 0;  // a class: 23000 is every 23xxx
    return state == upper;
  }

  std::optional<Flow> loop_flow(Flow f, const std::string& label) {
    if (f == Flow::kReturn) return Flow::kReturn;
    bool mine = exit_label.empty() || exit_label == label;
    if (f == Flow::kExit) {
      if (!mine) return Flow::kExit;
      exit_label.clear();
      return Flow::kNormal;
    }
    if (f == Flow::kContinue && !mine) return Flow::kContinue;
    if (f == Flow::kContinue) exit_label.clear();
    return std::nullopt;
  }

  void return_record(int64_t varno) {
    if (r_.new_first == SIZE_MAX) unsupported("RETURN of a record");
    returned_record = true;
    returned_old = varno == sql::int_field(node_body(r_.tree), "old_varno", -2);
  }

  void set_found(bool found) {
    if (auto it = r_.names.find("found"); it != r_.names.end()) values_[it->second] = Value::boolean(found);
  }

  void raise_stmt(const json::object& n) {
    int level = static_cast<int>(sql::int_field(n, "elog_level", 21));
    std::string message(str_field(n, "message"));
    std::string state = level >= 21 ? "P0001" : "00000";
    if (const auto* c = field(n, "condname")) {
      std::string name = lower(c->as_string());
      const char* code = condition_sqlstate(name);
      if (!code) raise(sqlstate::kUndefinedObject, "unrecognized exception condition \"{}\"", name);
      state = code;
      if (message.empty()) message = name;
    }
    // % placeholders take the parameters' text (NULL prints as <NULL>); %% is a percent sign.
    const auto& params = list_field(n, "params");
    std::string text;
    size_t next = 0;
    for (size_t i = 0; i < message.size(); ++i) {
      if (message[i] == '%' && i + 1 < message.size() && message[i + 1] == '%') {
        text.push_back('%');
        ++i;
      } else if (message[i] == '%') {
        if (next >= params.size()) raise(sqlstate::kSyntaxError, "too few parameters specified for RAISE");
        Value v = eval(params[next++]);
        text += v.is_null() ? "<NULL>" : s_.routine_text(v);
      } else {
        text.push_back(message[i]);
      }
    }
    std::string detail, hint, column, constraint, datatype, table, schema;
    for (const auto& o : list_field(n, "options")) {
      const auto& opt = node_body(o);
      Value v = eval(*field(opt, "expr"));
      std::string s = v.is_null() ? "" : s_.routine_text(v);
      switch (sql::int_field(opt, "opt_type")) {
        case 0: {  // ERRCODE
          if (const char* code = condition_sqlstate(s)) state = code;
          else if (s.size() == 5) state = s;
          else raise(sqlstate::kUndefinedObject, "unrecognized exception condition \"{}\"", s);
          break;
        }
        case 1: text = s; break;  // MESSAGE
        case 2: detail = s; break;
        case 3: hint = s; break;
        case 4: column = s; break;
        case 5: constraint = s; break;
        case 6: datatype = s; break;
        case 7: table = s; break;
        case 8: schema = s; break;
        default: break;
      }
    }
    if (level == 19 && state == "00000") state = "01000";  // WARNING's default condition
    Error e(state, text);
    if (!detail.empty()) e.with_detail(detail);
    if (!hint.empty()) e.with_hint(hint);
    e.with_table(schema, table).with_column(column).with_datatype(schema, datatype).with_constraint(constraint);
    if (level >= 21) throw e;
    e.with_severity(level == 19 ? "WARNING" : level == 17 ? "INFO" : level == 15 ? "LOG" : level < 15 ? "DEBUG" : "NOTICE");
    s_.routine_notice(e);
  }

  SessionImpl& s_;
  SessionImpl::Routine& r_;
  std::vector<Value>& values_;
  uint64_t row_count_ = 0;
};

}  // namespace

SessionImpl::BlockSavepoint SessionImpl::block_savepoint() {
  return {txn_->mark(), changed_catalog_ ? std::make_shared<catalog::Catalog>(*changed_catalog_) : nullptr,
          changed_roles_ ? std::make_shared<catalog::Roles>(*changed_roles_) : nullptr, key_checks_.deferred.size(),
          pending_notifies_.size(), pending_listens_.size()};
}

void SessionImpl::rollback_block(const BlockSavepoint& sp) {
  txn_->rollback_to(sp.mark);
  changed_catalog_ = sp.catalog ? std::make_shared<catalog::Catalog>(*sp.catalog) : nullptr;
  changed_roles_ = sp.roles ? std::make_shared<catalog::Roles>(*sp.roles) : nullptr;
  key_checks_.deferred.resize(std::min(key_checks_.deferred.size(), sp.deferred_checks));
  pending_notifies_.resize(std::min(pending_notifies_.size(), sp.notifies));
  pending_listens_.resize(std::min(pending_listens_.size(), sp.listens));
}

void SessionImpl::check_cancel() {
  if (cancel_.load()) raise(sqlstate::kQueryCanceled, "canceling statement due to user request");
}

Value SessionImpl::routine_cast(Value v, uint32_t type, int32_t typmod) {
  if (v.type() == type && typmod < 0) return v;
  if (v.is_null()) return Value::null(type);
  exec::ExecContext ctx = make_context(nullptr);
  return exec::cast_value(v, type, typmod, true, ctx);
}

std::string SessionImpl::routine_text(const Value& v) { return types::format_text(v, text_); }

void SessionImpl::routine_notice(const Error& e) {
  if (notice_sink_) notice_sink_->notice(e);
}

// client_min_messages: DEBUG5..DEBUG1 < LOG < NOTICE < WARNING < ERROR; INFO always goes out.
bool SessionImpl::notice_wanted(const Error& notice) {
  auto rank = [](std::string_view level) {
    if (level.starts_with("debug") || level.starts_with("DEBUG")) return 0;
    if (level == "log" || level == "LOG") return 1;
    if (level == "notice" || level == "NOTICE") return 2;
    if (level == "warning" || level == "WARNING") return 3;
    return 4;
  };
  if (notice.severity() == "INFO") return true;
  return rank(notice.severity()) >= rank(setting("client_min_messages"));
}

// The plan of one SQL text of a routine (an expression wrapped in SELECT, or a statement),
// bound once per compiled routine.
planner::Plan& SessionImpl::routine_plan(Routine& r, const void* key, const std::string& text) {
  auto& slot = r.plans[key];
  if (slot) return *slot;
  auto& parsed = r.parsed[key];  // parsed already when routine_statement looked at it
  if (!parsed) parsed = sql::parse(text);
  if (parsed->statements.size() != 1) raise(sqlstate::kSyntaxError, "a PL/pgSQL statement must be one SQL statement: \"{}\"", text);
  json::value tree = *parsed->statements[0].node;
  r.to_params(tree);
  planner::Binder binder(current_catalog(), parsed->sql, r.param_types, &text_);
  binder.set_folding(false);
  slot = binder.bind_statement(tree.as_object());
  return *slot;
}

std::vector<Row> SessionImpl::routine_query(Routine& r, const json::object& expr, const std::vector<Value>& values, size_t limit) {
  std::string q(str_field(expr, "query"));
  std::string_view trimmed = q;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
  std::string text = lower(trimmed.substr(0, 6)) == "select" || lower(trimmed.substr(0, 4)) == "with" ? q : "SELECT " + q;
  planner::Plan& plan = routine_plan(r, &expr, text);
  check_access(plan.access);
  run_before(plan, &values, nullptr);
  exec::ExecContext ctx = make_context(&values);
  std::vector<Row> rows;
  plan.root->open(ctx);
  Row row;
  while ((limit == 0 || rows.size() < limit) && plan.root->next(row)) rows.push_back(row);
  plan.root->close();
  return rows;
}

Value SessionImpl::routine_eval(Routine& r, const json::object& expr, const std::vector<Value>& values) {
  return routine_eval_text(r, &expr, std::string(str_field(expr, "query")), values);
}

Value SessionImpl::routine_eval_text(Routine& r, const void* key, const std::string& expr, const std::vector<Value>& values) {
  planner::Plan& plan = routine_plan(r, key, "SELECT " + expr);
  if (plan.kind != planner::Plan::Kind::kQuery || plan.columns.size() != 1)
    raise(sqlstate::kSyntaxError, "query \"{}\" returned {} columns", expr, plan.columns.size());
  check_access(plan.access);
  exec::ExecContext ctx = make_context(&values);
  plan.root->open(ctx);
  Row row;
  bool got = plan.root->next(row);
  bool more = got && plan.root->next(row);
  plan.root->close();
  if (more) raise(sqlstate::kCardinalityViolation, "query \"{}\" returned more than one row", expr);
  return got ? row[0] : Value::null(plan.columns[0].type_oid);
}

std::vector<Row> SessionImpl::routine_statement(Routine& r, const json::object& stmt, const std::vector<Value>& values,
                                                size_t limit, uint64_t& count, std::vector<Column>* columns) {
  std::string text(str_field(stmt, "query"));
  auto& parsed = r.parsed[&stmt];
  if (!parsed) parsed = sql::parse(text);
  // Other statements than queries and DML (CREATE, ALTER, SET, ...) run as at top level; as in
  // PostgreSQL, variables are not substituted in them.
  if (parsed->statements.size() == 1 && !plannable(parsed->statements[0].node->begin()->key())) {
    CollectSink sink(notice_sink_);
    run_nested_utility(*parsed, parsed->statements[0], sink);
    count = sink.count;
    return {};
  }
  planner::Plan& plan = routine_plan(r, &stmt, text);
  check_access(plan.access);
  if (read_only_) check_writable(r.parsed[&stmt]->statements[0].node->begin()->key(), {});
  if (columns) *columns = plan.columns;
  if (plan.kind == planner::Plan::Kind::kQuery) {
    run_before(plan, &values, nullptr);
    exec::ExecContext ctx = make_context(&values);
    std::vector<Row> rows;
    plan.root->open(ctx);
    Row row;
    while ((limit == 0 || rows.size() < limit) && plan.root->next(row)) rows.push_back(row);
    // FOUND / ROW_COUNT of a SELECT INTO count what was fetched.
    plan.root->close();
    count = rows.size();
    return rows;
  }
  CollectSink sink(notice_sink_);
  run_plan(plan, &values, sink);
  count = sink.count;
  if (limit && sink.rows.size() > limit) sink.rows.resize(limit);
  return std::move(sink.rows);
}

void SessionImpl::routine_call(Routine& r, const json::object& expr, const std::vector<Value>& values) {
  auto& parsed = r.parsed[&expr];
  if (!parsed) parsed = sql::parse(std::string(str_field(expr, "query")));
  json::value tree = *parsed->statements.at(0).node;
  r.to_params(tree);
  CollectSink sink(notice_sink_);
  run_call(tree.as_object().at("CallStmt").as_object(), *parsed, &values, sink);
  // PostgreSQL assigns INOUT results back to the variables given for them.
  if (!sink.result_columns.empty()) unsupported("CALL of a procedure with INOUT arguments in PL/pgSQL");
}

bool SessionImpl::plannable(std::string_view type) {
  return type == "SelectStmt" || type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt";
}

void SessionImpl::run_nested_utility(const sql::ParseResult& parsed, const sql::Statement& stmt, ResultSink& sink) {
  std::string_view type = stmt.node->begin()->key();
  const auto& n = stmt.node->begin()->value().as_object();
  if (type == "TransactionStmt") unsupported("transaction control (COMMIT, ROLLBACK, SAVEPOINT) in functions and DO blocks");
  const char* outside = type == "CreatedbStmt"   ? "CREATE DATABASE"
                        : type == "DropdbStmt"   ? "DROP DATABASE"
                        : type == "DiscardStmt"  ? "DISCARD ALL"
                        : type == "VacuumStmt" && sql::bool_field(n, "is_vacuumcmd") ? "VACUUM"
                                                 : nullptr;
  if (outside) raise(sqlstate::kActiveSqlTransaction, "{} cannot be executed from a function", outside);
  if (read_only_) check_writable(type, n);
  if (run_session_statement(type, n, stmt, sink)) return;
  run_in_transaction(type, n, parsed, stmt, nullptr, sink, nullptr);
}

std::vector<Row> SessionImpl::run_dynamic(const std::string& text, const std::vector<Value>& params, size_t limit,
                                          uint64_t& count, std::vector<Column>* columns) {
  auto parsed = sql::parse(text);
  if (parsed->statements.size() > 1 && !params.empty())
    raise(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  std::vector<uint32_t> types;
  for (const Value& p : params) types.push_back(p.type() == oid::kUnknownType ? oid::kText : p.type());
  CollectSink sink(notice_sink_);
  for (const auto& stmt : parsed->statements) {
    std::string_view type = stmt.node->begin()->key();
    sink.rows.clear();
    sink.result_columns.clear();
    if (!plannable(type)) {
      run_nested_utility(*parsed, stmt, sink);
      continue;
    }
    planner::Binder binder(current_catalog(), parsed->sql, types, &text_);
    auto plan = binder.bind_statement(*stmt.node);
    if (plan->param_types.size() > params.size())
      raise(sqlstate::kUndefinedParameter, "there is no parameter ${}", params.size() + 1);
    check_access(plan->access);
    if (read_only_) check_writable(type, stmt.node->begin()->value().as_object());
    std::vector<Value> converted = convert_params(*plan, &params);
    run_plan(*plan, &converted, sink);
  }
  count = sink.count;
  if (columns) *columns = std::move(sink.result_columns);
  if (limit && sink.rows.size() > limit) sink.rows.resize(limit);
  return std::move(sink.rows);
}

// DO: an anonymous PL/pgSQL block, compiled and run once.
void SessionImpl::run_do(const json::object& n, std::string_view text, ResultSink& sink) {
  std::string language = "plpgsql";
  for (const auto& a : list_field(n, "args")) {
    const auto& d = node_body(a);
    if (str_field(d, "defname") == "language") language = lower(string_node(*field(d, "arg")));
  }
  if (language == "sql" || language == "internal" || language == "c")
    raise(sqlstate::kFeatureNotSupported, "language \"{}\" does not support inline code execution", language);
  if (language != "plpgsql")
    raise(sqlstate::kUndefinedObject, "language \"{}\" does not exist", language);
  auto fn = std::make_shared<catalog::FunctionDef>();
  fn->name = "inline_code_block";
  fn->language = "plpgsql";
  fn->definition = std::string(text);
  auto r = compile_routine(fn, nullptr);
  RoutineDepth depth(routine_depth_);
  std::vector<Value> values = routine_values(*r, {});
  PlCall call(*this, *r, values);
  call.run_list(r->body);
  sink.complete("DO", 0);
}

void SessionImpl::run_call(const json::object& n, const sql::ParseResult& parsed, const std::vector<Value>* params, ResultSink& sink) {
  // Bound as SELECT procedure(args), the binder letting this one call name a procedure.
  json::value tree = json::object{{"SelectStmt", json::object{{"targetList", json::array{json::object{{"ResTarget", json::object{
                                      {"val", json::object{{"FuncCall", *field(n, "funccall")}}}, {"location", -1}}}}}},
                                  {"limitOption", "LIMIT_OPTION_DEFAULT"}, {"op", "SETOP_NONE"}}}};
  const json::object& call = tree.at("SelectStmt").at("targetList").at(0).at("ResTarget").at("val").at("FuncCall").as_object();
  std::vector<uint32_t> types;
  if (params)
    for (const Value& p : *params) types.push_back(p.type());
  planner::Binder binder(current_catalog(), parsed.sql, types, &text_);
  binder.set_procedure_call(&call);
  auto plan = binder.bind_statement(tree.as_object());
  check_access(plan->access);
  std::vector<Value> converted = convert_params(*plan, params);
  CollectSink rows(notice_sink_);
  run_plan(*plan, &converted, rows);
  const Value& out = rows.rows.at(0).at(0);
  if (record::is_record(out.type()) && !out.is_null()) {
    record::Record r = record::decode(out);
    std::vector<Column> cols;
    for (size_t i = 0; i < r.names.size(); ++i) cols.push_back({r.names[i], r.values[i].type(), -1, 0, 0});
    sink.columns(cols);
    sink.row(r.values);
  }
  sink.complete("CALL", 0);
}

// Compiles a function (for a trigger: for the table it fires on).
std::shared_ptr<SessionImpl::Routine> SessionImpl::routine(uint32_t function, const catalog::TableDef* table) {
  const catalog::Catalog& cat = current_catalog();
  uint64_t key = (uint64_t{function} << 32) | (table ? table->id : 0);
  auto& cached = routines_[key];
  if (cached && cached->catalog == &cat && cached->catalog_version == cat.version() && !changed_catalog_ &&
      (!table || cached->table.get() == table))
    return cached;
  auto fn = cat.function(function);
  if (!fn) raise(sqlstate::kUndefinedFunction, "function with OID {} does not exist", function);
  cached = compile_routine(fn, table);
  return cached;
}

std::shared_ptr<SessionImpl::Routine> SessionImpl::compile_routine(std::shared_ptr<const catalog::FunctionDef> fn,
                                                                   const catalog::TableDef* table) {
  const catalog::Catalog& cat = current_catalog();
  auto r = std::make_shared<Routine>();
  r->fn = fn;
  r->catalog = &cat;
  r->catalog_version = cat.version();
  if (table) r->table = cat.table(table->id);
  for (size_t i = 0; i < fn->arg_types.size(); ++i) r->add(fn->arg_names[i], fn->arg_types[i]);
  // $n names the n-th argument (parse trees keep ParamRef for it: its slot is n-1 already).
  if (fn->language == "sql") {
    auto parsed = sql::parse(fn->body);
    for (const auto& st : parsed->statements) {
      json::value tree = *st.node;
      r->to_params(tree);
      r->statements.push_back(std::move(tree));
    }
    r->parsed[r.get()] = parsed;
    return r;
  }
  // PL/pgSQL: the function's datums (variables, NEW/OLD and their fields) become slots.
  PgQueryPlpgsqlParseResult res = pg_query_parse_plpgsql(fn->definition.c_str());
  if (res.error) {
    Error e(sqlstate::kSyntaxError, res.error->message);
    pg_query_free_plpgsql_parse_result(res);
    throw e;
  }
  json::value funcs = json::parse(res.plpgsql_funcs);
  pg_query_free_plpgsql_parse_result(res);
  if (!funcs.is_array() || funcs.as_array().empty()) raise(sqlstate::kSyntaxError, "could not read the PL/pgSQL function body");
  r->tree = json::value(node_body(funcs.as_array()[0]));
  r->body = json::array{*field(r->tree.as_object(), "action")};
  const auto& datums = list_field(r->tree.as_object(), "datums");
  size_t nargs = fn->arg_types.size();
  bool trigger = fn->ret_type == kTriggerType;
  if (trigger) {
    for (const char* tg : {"tg_op", "tg_name", "tg_table_name", "tg_table_schema", "tg_when", "tg_level", "tg_relname"})
      r->add(tg, oid::kText);
    r->add("tg_nargs", oid::kInt4);
    r->add("tg_argv", 1009);  // text[]
    r->add("tg_relid", oid::kOid);
  }
  planner::Binder binder(cat, "", {}, &text_);
  for (size_t d = 0; d < datums.size(); ++d) {
    std::string_view kind = node_type(datums[d]);
    const auto& body = node_body(datums[d]);
    std::string name = lower(str_field(body, "refname"));
    if (kind == "PLpgSQL_var") {
      if (d < nargs) {  // the arguments come first
        r->datum_slot[static_cast<int64_t>(d)] = d;
        continue;
      }
      uint32_t type = oid::kInt4;
      int32_t typmod = -1;
      std::string tn(str_field(node_body(*field(body, "datatype")), "typname"));
      if (name == "found") {
        type = oid::kBool;
      } else if (tn == "UNKNOWN" && (name == "sqlstate" || name == "sqlerrm")) {
        type = oid::kText;
      } else if (lower(tn) == "record") {
        r->records[static_cast<int64_t>(d)] = name;
        continue;
      } else if (tn != "UNKNOWN") {
        if (tn.find('%') != std::string::npos) unsupported("%TYPE and %ROWTYPE in PL/pgSQL declarations");
        auto cast = sql::parse("SELECT NULL::" + tn);
        const auto& select = cast->statements[0].node->begin()->value().as_object();
        const auto& target = node_body(list_field(select, "targetList")[0]);
        std::tie(type, typmod) = binder.resolve_type(field(node_body(*field(target, "val")), "typeName")->as_object());
      }
      size_t slot = r->add(name, type, typmod);
      r->datum_slot[static_cast<int64_t>(d)] = slot;
      if (const auto* dv = field(body, "default_val")) r->defaults.emplace_back(slot, std::string(str_field(node_body(*dv), "query")));
    } else if (kind == "PLpgSQL_rec") {
      if (name != "new" && name != "old") continue;  // other records: 0A000 when used
      if (!r->table) continue;
      size_t first = r->slots.size();
      for (const auto& c : r->table->columns) r->add(name + "." + c.name, c.type, c.typmod);
      (name == "new" ? r->new_first : r->old_first) = first;
    } else if (kind == "PLpgSQL_recfield") {
      int64_t parent = sql::int_field(body, "recparentno", -1);
      std::string parent_name = parent >= 0 && static_cast<size_t>(parent) < datums.size()
                                    ? lower(str_field(node_body(datums[static_cast<size_t>(parent)]), "refname")) : "";
      std::string fname = std::string(str_field(body, "fieldname"));
      auto it = r->names.find(parent_name + "." + fname);
      if (it == r->names.end()) {
        if ((parent_name == "new" || parent_name == "old") && r->table)
          raise(sqlstate::kUndefinedColumn, "record \"{}\" has no field \"{}\"", parent_name, fname);
        continue;
      }
      r->datum_slot[static_cast<int64_t>(d)] = it->second;
    }
  }
  return r;
}

std::vector<uint32_t> SessionImpl::function_check_plan(uint32_t function, json::value tree) {
  auto r = routine(function, nullptr);
  r->to_params(tree);
  planner::Binder binder(current_catalog(), r->fn->body, r->param_types, &text_);
  auto plan = binder.bind_statement(tree.as_object());
  std::vector<uint32_t> out;
  for (const auto& c : plan->columns) out.push_back(c.type_oid);
  return out;
}

// A call's slots: the arguments, then the variables, NULL or their DECLARE ... := default.
std::vector<Value> SessionImpl::routine_values(Routine& r, const std::vector<Value>& args) {
  std::vector<Value> values;
  for (size_t i = 0; i < r.slots.size(); ++i)
    values.push_back(i < args.size() ? routine_cast(args[i], r.slots[i].type, -1) : Value::null(r.slots[i].type));
  for (const auto& [slot, expr] : r.defaults)
    values[slot] = routine_cast(routine_eval_text(r, &expr, expr, values), r.slots[slot].type, r.slots[slot].typmod);
  return values;
}

Value SessionImpl::call_function(uint32_t function, const std::vector<Value>& args, exec::ExecContext&) {
  RoutineDepth depth(routine_depth_);
  auto r = routine(function, nullptr);
  std::vector<Value> values = routine_values(*r, args);
  uint32_t ret = r->fn->ret_type;
  if (r->fn->language == "sql") {
    Value out = Value::null(ret);
    for (size_t i = 0; i < r->statements.size(); ++i) {
      const auto& tree = r->statements[i];
      auto& plan = r->plans[&tree];
      if (!plan) {
        planner::Binder binder(current_catalog(), r->fn->body, r->param_types, &text_);
        binder.set_folding(false);
        plan = binder.bind_statement(tree.as_object());
      }
      check_access(plan->access);
      bool last = i + 1 == r->statements.size();
      if (plan->kind == planner::Plan::Kind::kQuery) {
        run_before(*plan, &values, nullptr);
        if (!last) continue;  // a SELECT before the last statement changes nothing else
        exec::ExecContext ctx = make_context(&values);
        plan->root->open(ctx);
        Row row;
        if (plan->root->next(row) && !row.empty()) out = row[0];
        plan->root->close();
      } else {
        CollectSink sink(notice_sink_);
        run_plan(*plan, &values, sink);
        if (last && !sink.rows.empty() && !sink.rows[0].empty()) out = sink.rows[0][0];
      }
    }
    if (ret == oid::kVoid) return Value::null(oid::kVoid);
    return routine_cast(std::move(out), ret, -1);
  }
  if (ret == kTriggerType) raise(sqlstate::kFeatureNotSupported, "trigger functions can only be called as triggers");
  if (r->fn->returns_set) unsupported("set-returning PL/pgSQL functions outside FROM");
  PlCall call(*this, *r, values);
  Flow f = call.run_list(r->body);
  if (r->fn->kind == 'p') {  // a procedure: its INOUT arguments' values, as a record
    if (r->fn->arg_modes.empty()) return Value::null(oid::kVoid);
    record::Record out;
    for (size_t i = 0; i < r->fn->arg_modes.size(); ++i)
      if (r->fn->arg_modes[i] == 'b') {
        out.names.push_back(r->fn->arg_names[i]);
        out.values.push_back(values[i]);
      }
    return record::make(oid::kRecord, out);
  }
  if (f != Flow::kReturn && ret != oid::kVoid)
    raise("2F005", "control reached end of function without RETURN");
  if (ret == oid::kVoid || !call.result) return Value::null(ret);
  return routine_cast(std::move(*call.result), ret, -1);
}

std::vector<Row> SessionImpl::call_set_function(uint32_t function, const std::vector<Value>& args, exec::ExecContext&) {
  RoutineDepth depth(routine_depth_);
  auto r = routine(function, nullptr);
  std::vector<Value> values = routine_values(*r, args);
  std::vector<Row> rows;
  PlCall call(*this, *r, values);
  call.set_rows = &rows;
  for (const auto& [name, type] : catalog::result_columns(*r->fn)) call.set_columns.push_back({name, type});
  call.run_list(r->body);
  return rows;
}

// One trigger for one row (or for the statement: no rows). BEFORE ROW triggers return the row to
// go on with (nullopt: skip it).
std::optional<Row> SessionImpl::run_trigger(const catalog::TableDef& table, const catalog::TriggerDef& trig, int event,
                                            const Row* old_row, const Row* new_row) {
  RoutineDepth depth(routine_depth_);
  auto r = routine(trig.function, &table);
  if (r->fn->language != "plpgsql") unsupported("trigger functions in languages other than plpgsql");
  std::vector<Value> values(r->slots.size());
  for (size_t i = 0; i < r->slots.size(); ++i) values[i] = Value::null(r->slots[i].type);
  auto set = [&](const char* name, Value v) {
    if (auto it = r->names.find(name); it != r->names.end()) values[it->second] = std::move(v);
  };
  set("tg_op", Value::text(event == catalog::kTriggerInsert ? "INSERT" : event == catalog::kTriggerUpdate ? "UPDATE" : "DELETE"));
  set("tg_name", Value::text(trig.name));
  set("tg_table_name", Value::text(table.name));
  set("tg_relname", Value::text(table.name));
  set("tg_table_schema", Value::text(table.schema));
  set("tg_when", Value::text(trig.before ? "BEFORE" : "AFTER"));
  set("tg_level", Value::text(trig.row ? "ROW" : "STATEMENT"));
  set("tg_nargs", Value::int4(static_cast<int32_t>(trig.args.size())));
  set("tg_relid", Value::of(oid::kOid, int64_t{table.id}));
  {
    // TG_ARGV is subscripted from 0.
    std::vector<Value> args;
    for (const auto& a : trig.args) args.push_back(Value::text(a));
    array::Array argv = array::Array::of(oid::kText, std::move(args));
    if (!argv.empty()) argv.lbounds = {0};
    set("tg_argv", array::make(1009, argv));
  }
  size_t width = table.columns.size();
  if (new_row && r->new_first != SIZE_MAX)
    for (size_t i = 0; i < width; ++i) values[r->new_first + i] = (*new_row)[i];
  if (old_row && r->old_first != SIZE_MAX)
    for (size_t i = 0; i < width; ++i) values[r->old_first + i] = (*old_row)[i];
  for (const auto& [slot, expr] : r->defaults) values[slot] = routine_cast(routine_eval_text(*r, &expr, expr, values), r->slots[slot].type, r->slots[slot].typmod);
  PlCall call(*this, *r, values);
  Flow f = call.run_list(r->body);
  if (f != Flow::kReturn) raise("2F005", "control reached end of trigger procedure without RETURN");
  if (!trig.before || !trig.row) return std::nullopt;
  if (!call.returned_record) {
    if (call.result && !call.result->is_null()) unsupported("a trigger function returning something other than NEW, OLD or NULL");
    return std::nullopt;
  }
  size_t first = call.returned_old ? r->old_first : r->new_first;
  Row out(values.begin() + static_cast<long>(first), values.begin() + static_cast<long>(first + width));
  if (call.returned_old && !old_row) return std::nullopt;  // RETURN OLD in an INSERT: NULL
  if (!call.returned_old && !new_row) return std::nullopt;
  return out;
}

// WHEN (condition) of a trigger over the row's old and new values.
bool SessionImpl::trigger_when(const catalog::TableDef& table, const catalog::TriggerDef& trig, const Row* old_row,
                               const Row* new_row) {
  if (trig.when.empty()) return true;
  auto& when = trigger_whens_[trig.id];
  if (!when || when->catalog != &current_catalog() || when->catalog_version != current_catalog().version() || changed_catalog_) {
    when = std::make_shared<Routine>();
    when->catalog = &current_catalog();
    when->catalog_version = current_catalog().version();
    auto fn = std::make_shared<catalog::FunctionDef>();
    when->fn = fn;
    for (const char* rec : {"new", "old"})
      for (const auto& c : table.columns) when->add(std::string(rec) + "." + c.name, c.type, c.typmod);
  }
  std::vector<Value> values(when->slots.size());
  size_t width = table.columns.size();
  for (size_t i = 0; i < width; ++i) {
    values[i] = new_row ? (*new_row)[i] : Value::null(table.columns[i].type);
    values[width + i] = old_row ? (*old_row)[i] : Value::null(table.columns[i].type);
  }
  auto& plan = when->plans[when.get()];
  if (!plan) {
    json::value cond = json::parse(trig.when);
    when->to_params(cond);
    json::object target;
    target["ResTarget"] = json::object{{"val", cond}};
    json::object body;
    body["targetList"] = json::array{target};
    body["limitOption"] = "LIMIT_OPTION_DEFAULT";
    body["op"] = "SETOP_NONE";
    json::object select;
    select["SelectStmt"] = std::move(body);
    planner::Binder binder(current_catalog(), "", when->param_types, &text_);
    plan = binder.bind_statement(select);
  }
  exec::ExecContext ctx = make_context(&values);
  plan->root->open(ctx);
  Row row;
  bool got = plan->root->next(row);
  plan->root->close();
  return got && !row[0].is_null() && row[0].as_bool();
}

// The triggers of one statement on one table: BEFORE ROW ones as each row goes, AFTER ROW ones
// queued to the end of the statement (as PostgreSQL's after-trigger queue), statement ones around.
SessionImpl::StatementTriggers::StatementTriggers(SessionImpl& s, std::shared_ptr<const catalog::TableDef> table,
                                                  std::vector<size_t> set_columns)
    : s_(s), table_(std::move(table)), set_columns_(std::move(set_columns)) {
  for (const auto& t : table_->triggers) any_ |= t.enabled;
}

bool SessionImpl::StatementTriggers::applies(const catalog::TriggerDef& t, int event) const {
  if (!t.enabled || !(t.events & event)) return false;
  if (event == catalog::kTriggerUpdate && !t.columns.empty()) {
    // UPDATE OF: only when one of its columns is a target of SET.
    for (size_t c : set_columns_)
      if (std::ranges::count(t.columns, table_->columns[c].id)) return true;
    return false;
  }
  return true;
}

void SessionImpl::StatementTriggers::before_statement(int events) {
  if (!any_) return;
  for (int ev : {catalog::kTriggerInsert, catalog::kTriggerUpdate, catalog::kTriggerDelete})
    if (events & ev)
      for (const auto& t : table_->triggers)
        if (!t.row && t.before && applies(t, ev)) s_.run_trigger(*table_, t, ev, nullptr, nullptr);
  events_ |= events;
}

bool SessionImpl::StatementTriggers::before_row(int event, const Row* old_row, Row* new_row) {
  if (!any_) return true;
  for (const auto& t : table_->triggers) {
    if (!t.row || !t.before || !applies(t, event)) continue;
    if (!s_.trigger_when(*table_, t, old_row, new_row)) continue;
    auto out = s_.run_trigger(*table_, t, event, old_row, new_row);
    if (!out) return false;
    if (new_row) *new_row = std::move(*out);
  }
  return true;
}

void SessionImpl::StatementTriggers::after_row(int event, const Row* old_row, const Row* new_row) {
  if (!any_) return;
  for (const auto& t : table_->triggers)
    if (t.row && !t.before && applies(t, event)) {
      queued_.push_back({&t, event, old_row ? *old_row : Row{}, new_row ? *new_row : Row{}, old_row != nullptr, new_row != nullptr});
      break;
    }
}

void SessionImpl::StatementTriggers::after_statement() {
  if (!any_) return;
  for (const auto& q : queued_) {
    const Row* o = q.has_old ? &q.old_row : nullptr;
    const Row* n = q.has_new ? &q.new_row : nullptr;
    for (const auto& t : table_->triggers)
      if (t.row && !t.before && applies(t, q.event) && s_.trigger_when(*table_, t, o, n)) s_.run_trigger(*table_, t, q.event, o, n);
  }
  queued_.clear();
  for (int ev : {catalog::kTriggerInsert, catalog::kTriggerUpdate, catalog::kTriggerDelete})
    if (events_ & ev)
      for (const auto& t : table_->triggers)
        if (!t.row && !t.before && applies(t, ev)) s_.run_trigger(*table_, t, ev, nullptr, nullptr);
}

SessionImpl::StatementTriggers* SessionImpl::PartitionTriggers::of(
    const std::shared_ptr<const catalog::TableDef>& partition) {
  if (partition->triggers.empty()) return nullptr;
  return &by_partition_.try_emplace(partition->id, s_, partition).first->second;
}

void SessionImpl::PartitionTriggers::after_statement() {
  for (auto& [id, t] : by_partition_) t.after_statement();  // their queued AFTER ROW triggers
}

bool SessionImpl::insert_routed(exec::ExecContext& ctx, planner::Plan::Route& route, PartitionTriggers& triggers,
                                Row& row) {
  route.to_leaf.apply(row);
  StatementTriggers* own = triggers.of(route.writer->layout().table);
  if (own && !own->before_row(catalog::kTriggerInsert, nullptr, &row)) return false;
  route.writer->insert(ctx, row);
  if (own) own->after_row(catalog::kTriggerInsert, nullptr, &row);
  route.from_leaf.apply(row);
  return true;
}

}  // namespace heliosdb::engine
