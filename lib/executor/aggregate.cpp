// Hash aggregation and the built-in aggregate functions.
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "common/array.h"
#include "common/datetime.h"
#include "common/record.h"
#include "common/errors.h"
#include "common/jsonb.h"
#include "common/numeric.h"
#include "common/type_io.h"
#include "executor/builtins.h"
#include "executor/float_stats.h"
#include "executor/functions.h"
#include "executor/operator.h"

namespace heliosdb::exec {
namespace {

enum class Kind { kCount, kCountStar, kSum, kAvg, kMin, kMax, kBoolAnd, kBoolOr, kBitAnd, kBitOr, kBitXor, kStringAgg, kArrayAgg, kJsonAgg, kJsonObjectAgg,
                  kVariance, kRegression, kOrderedSet, kUser };

// var_pop, var_samp (variance), stddev_pop, stddev_samp (stddev).
bool is_variance(const std::string& n) {
  return n == "var_pop" || n == "var_samp" || n == "variance" || n == "stddev_pop" || n == "stddev_samp" || n == "stddev";
}

Kind kind_of(const AggDef& a) {
  const std::string& n = a.name;
  if (a.ordered_set) return Kind::kOrderedSet;
  if (a.user) return Kind::kUser;
  if (n == "count") return a.args.empty() ? Kind::kCountStar : Kind::kCount;
  if (n == "sum") return Kind::kSum;
  if (n == "avg") return Kind::kAvg;
  if (n == "min") return Kind::kMin;
  if (n == "max") return Kind::kMax;
  if (n == "bool_and" || n == "every") return Kind::kBoolAnd;
  if (n == "bool_or") return Kind::kBoolOr;
  if (n == "bit_and") return Kind::kBitAnd;
  if (n == "bit_or") return Kind::kBitOr;
  if (n == "bit_xor") return Kind::kBitXor;
  if (n == "array_agg") return Kind::kArrayAgg;
  if (n == "json_agg" || n == "jsonb_agg") return Kind::kJsonAgg;
  if (n == "json_object_agg" || n == "jsonb_object_agg") return Kind::kJsonObjectAgg;
  if (is_variance(n)) return Kind::kVariance;
  if (is_regression_aggregate(n)) return Kind::kRegression;
  return Kind::kStringAgg;
}

// Running state of one aggregate in one group.
struct State {
  int64_t count = 0;
  __int128 isum = 0;      // sum of integers; bit_and / bit_or / bit_xor
  std::string nsum;       // numeric sum
  double fsum = 0;        // float sum
  double fsxx = 0;        // float variance: sum of squared differences (Youngs-Cramer, as PostgreSQL)
  std::string nsum2;      // numeric variance: sum of squares
  Interval ivsum;
  Value best;             // min/max
  bool b = false;         // bool_and / bool_or
  std::string text;       // string_agg, json_agg
  std::vector<Value> items;  // array_agg
  std::vector<int32_t> inner_dims, inner_lbounds;  // array_agg of arrays: the first array's shape
  FloatStats stats;          // covar_pop, corr, regr_*
  bool any = false;
  std::unordered_set<std::string> seen;  // DISTINCT
  std::vector<std::pair<Row, Row>> ordered;  // ORDER BY inside the call: (sort keys, arguments)
  Row direct;                // an ordered-set aggregate's direct arguments
  bool has_direct = false;
  bool no_value = false;     // user aggregate: a strict sfunc without INITCOND has seen no input yet
};

class Aggregate final : public Operator {
 public:
  std::string describe() const override { return group_.empty() ? "Aggregate" : "HashAggregate"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Aggregate(OperatorPtr c, std::vector<ExprPtr> g, std::vector<AggDef> a, bool has_grouping)
      : child_(std::move(c)), group_(std::move(g)), aggs_(std::move(a)), grouped_(has_grouping) {
    for (const auto& e : group_) columns.push_back({"?column?", e->type, e->typmod, 0, 0});
    for (const auto& a : aggs_) {
      columns.push_back({a.name, a.type, -1, 0, 0});
      kinds_.push_back(kind_of(a));
    }
  }

  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    groups_.clear();
    order_.clear();
    pos_ = 0;
    child_->open(ctx);
    Row in;
    std::vector<Value> args;
    std::vector<State>* only = nullptr;  // without GROUP BY: the one group, once made
    while (child_->next(in)) {
      std::vector<State>* states = only;
      if (!states) {
        Row gvals;
        gvals.reserve(group_.size());
        for (const auto& g : group_) gvals.push_back(g->eval(in, ctx));
        std::string key = row_key(gvals, gvals.size());
        auto it = groups_.find(key);
        if (it == groups_.end()) {
          it = groups_.emplace(std::move(key), Group{std::move(gvals), std::vector<State>(aggs_.size())}).first;
          order_.push_back(&*it);
        }
        states = &it->second.states;
        if (group_.empty()) only = states;
      }
      for (size_t i = 0; i < aggs_.size(); ++i) accumulate(i, (*states)[i], in);
    }
    child_->close();
    if (order_.empty() && !grouped_) {
      // An aggregate without GROUP BY returns one row even over no input.
      auto it = groups_.emplace("", Group{Row{}, std::vector<State>(aggs_.size())}).first;
      order_.push_back(&*it);
    }
  }

  bool do_next(Row& row) override {
    if (pos_ >= order_.size()) return false;
    auto& g = order_[pos_++]->second;
    row = g.values;
    for (size_t i = 0; i < aggs_.size(); ++i) row.push_back(finish(i, g.states[i]));
    return true;
  }

  void do_close() override { groups_.clear(); order_.clear(); }

  // Also the running state of a window aggregate (RunningAggregate).
  void set_context(ExecContext& ctx) { ctx_ = &ctx; }
  void accumulate(size_t i, State& s, const Row& in) {
    const AggDef& a = aggs_[i];
    if (a.ordered_set && !s.has_direct) {
      for (const auto& d : a.direct) s.direct.push_back(d->eval(in, *ctx_));
      s.has_direct = true;
    }
    if (a.filter && !is_true(a.filter->eval(in, *ctx_))) return;
    if (kinds_[i] == Kind::kCountStar) { ++s.count; return; }
    if (kinds_[i] == Kind::kUser && a.args.empty()) { user_add(a, s, Row{}); return; }  // name(*)
    if (a.ordered_set) {  // sorted when the group is finished; NULLs dropped but by hypothetical-set ones
      Row keys;
      for (const auto& k : a.order) keys.push_back(k.expr->eval(in, *ctx_));
      if (!is_hypothetical_aggregate(a.name) && keys[0].is_null()) return;
      s.ordered.emplace_back(std::move(keys), Row{});
      return;
    }
    Row args;
    for (const auto& e : a.args) args.push_back(e->eval(in, *ctx_));
    // fed in order when the group is finished; DISTINCT sorts its input too, as PostgreSQL does
    // (an order-sensitive aggregate's result, or a float sum's rounding, depends on it)
    if (!a.order.empty() || sorts_distinct(i)) {
      Row keys;
      for (const auto& k : a.order) keys.push_back(k.expr->eval(in, *ctx_));
      s.ordered.emplace_back(std::move(keys), std::move(args));
      return;
    }
    add(i, s, args);
  }

  bool sorts_distinct(size_t i) const {
    Kind k = kinds_[i];
    return aggs_[i].distinct && k != Kind::kCount && k != Kind::kMin && k != Kind::kMax && k != Kind::kBoolAnd &&
           k != Kind::kBoolOr;
  }

  // A user aggregate's state starts as INITCOND (NULL without one).
  void user_start(const AggDef& a, State& s) {
    if (s.any) return;
    s.any = true;
    const auto& u = *a.user;
    s.best = u.init ? u.init->eval(Row{}, *ctx_) : Value::null(u.stype);
    s.no_value = !u.init && u.sfunc_strict;
  }

  // PostgreSQL's advance_transition_function: a strict sfunc skips rows with a NULL argument,
  // takes the first input as the state when there is no INITCOND, and leaves a NULL state be.
  void user_add(const AggDef& a, State& s, const Row& args) {
    user_start(a, s);
    const auto& u = *a.user;
    if (u.sfunc_strict) {
      for (const auto& v : args)
        if (v.is_null()) return;
      if (s.no_value) {
        s.best = args[0];
        s.no_value = false;
        return;
      }
      if (s.best.is_null()) return;
    }
    Row r;
    r.reserve(args.size() + 1);
    r.push_back(s.best);
    r.insert(r.end(), args.begin(), args.end());
    s.best = u.sfunc->eval(r, *ctx_);
  }

  void add(size_t i, State& s, const Row& args) {
    const AggDef& a = aggs_[i];
    if (kinds_[i] == Kind::kUser) {
      if (a.distinct && !s.seen.insert(row_key(args, args.size())).second) return;
      return user_add(a, s, args);
    }
    const Value& v = args[0];
    bool keeps_nulls = kinds_[i] == Kind::kArrayAgg || kinds_[i] == Kind::kJsonAgg;
    if (kinds_[i] == Kind::kJsonObjectAgg) {  // (key, value): a NULL value is kept, a NULL key is an error
      if (v.is_null()) raise(sqlstate::kInvalidParameterValue, "field name must not be null");
      if (a.distinct && !s.seen.insert(row_key(args, 2)).second) return;
      s.text += s.any ? ", " : "{ ";
      jsonb::append_string(s.text, v.type() == oid::kText ? v.as_string() : types::format_text(v, ctx_->text));
      s.text += " : " + to_json_text(args[1], ctx_->text);
      s.any = true;
      return;
    }
    if (v.is_null() && !keeps_nulls) return;
    if (kinds_[i] == Kind::kRegression) {  // (y, x): rows with a NULL in either are skipped
      if (args[1].is_null()) return;
      regr_accum(s.stats, v.as_double(), args[1].as_double());
      s.any = true;
      return;
    }
    Value sep;
    if (kinds_[i] == Kind::kStringAgg) sep = args[1];
    if (a.distinct && !s.seen.insert(row_key(Row{v}, 1)).second) return;
    switch (kinds_[i]) {
      case Kind::kArrayAgg:
        if (array::is_array(a.arg_type)) {  // array_agg(anyarray): one dimension more
          if (v.is_null()) raise(sqlstate::kNullValueNotAllowed, "cannot accumulate null arrays");
          array::Array in = array::decode(v);
          if (!s.any && in.empty()) raise(sqlstate::kArraySubscriptError, "cannot accumulate empty arrays");
          if (s.any && (in.dims != s.inner_dims || in.lbounds != s.inner_lbounds))
            raise(sqlstate::kArraySubscriptError, "cannot accumulate arrays of different dimensionality");
          if (!s.any) {
            s.inner_dims = in.dims;
            s.inner_lbounds = in.lbounds;
          }
          std::move(in.items.begin(), in.items.end(), std::back_inserter(s.items));
          ++s.count;
        } else {
          s.items.push_back(v);
        }
        break;
      case Kind::kJsonAgg:
        s.text += s.any ? ", " : "[";
        // Arrays and records after the first start a line, as PostgreSQL's json_agg prints them.
        if (s.any && !v.is_null() && (array::is_array(v.type()) || record::is_record(v.type()))) s.text += "\n ";
        s.text += to_json_text(v, ctx_->text);
        break;
      case Kind::kCount: ++s.count; break;
      case Kind::kSum:
      case Kind::kAvg:
        ++s.count;
        switch (v.type()) {
          case oid::kInt2: case oid::kInt4: s.isum += v.as_int(); break;
          case oid::kInt8:
            s.isum += v.as_int();
            break;
          case oid::kNumeric: s.nsum = s.nsum.empty() ? v.as_string() : numeric::add(s.nsum, v.as_string()); break;
          case oid::kFloat4: case oid::kFloat8: s.fsum += v.as_double(); break;
          case oid::kInterval: {
            Interval x = v.as_interval();
            s.ivsum.months += x.months;
            s.ivsum.days += x.days;
            s.ivsum.micros += x.micros;
            break;
          }
          default: raise(sqlstate::kUndefinedFunction, "function {}({}) does not exist", a.name, v.type());
        }
        break;
      case Kind::kMin:
      case Kind::kMax: {
        if (!s.any) { s.best = v; break; }
        int c = compare_values(v, s.best);
        if ((kinds_[i] == Kind::kMin && c < 0) || (kinds_[i] == Kind::kMax && c > 0)) s.best = v;
        break;
      }
      case Kind::kBoolAnd: s.b = s.any ? (s.b && v.as_bool()) : v.as_bool(); break;
      case Kind::kBoolOr: s.b = s.any ? (s.b || v.as_bool()) : v.as_bool(); break;
      case Kind::kBitAnd: s.isum = s.any ? (s.isum & v.as_int()) : v.as_int(); break;
      case Kind::kBitOr: s.isum |= v.as_int(); break;
      case Kind::kBitXor: s.isum ^= v.as_int(); break;
      case Kind::kStringAgg:
        if (s.any && !sep.is_null()) s.text += sep.as_string();
        s.text += v.as_string();
        break;
      case Kind::kVariance:
        ++s.count;
        if (v.type() == oid::kFloat4 || v.type() == oid::kFloat8) {
          double x = v.as_double(), n = static_cast<double>(s.count);
          s.fsum += x;
          if (s.count > 1) {
            double t = x * n - s.fsum;
            s.fsxx += t * t / (n * (n - 1));
          } else if (std::isnan(x) || std::isinf(x)) {
            s.fsxx = std::nan("");
          }
        } else {  // integers and numeric, exactly
          std::string x = v.type() == oid::kNumeric ? v.as_string() : numeric::from_int64(v.as_int());
          s.nsum = s.nsum.empty() ? x : numeric::add(s.nsum, x);
          std::string x2 = numeric::mul(x, x);
          s.nsum2 = s.nsum2.empty() ? x2 : numeric::add(s.nsum2, x2);
        }
        break;
      case Kind::kCountStar: break;
      case Kind::kJsonObjectAgg: break;  // above
      case Kind::kRegression: break;     // above
      case Kind::kOrderedSet: break;     // in accumulate
      case Kind::kUser: break;           // above
    }
    s.any = true;
  }

  static std::string int128_text(__int128 v) {
    if (v == 0) return "0";
    bool neg = v < 0;
    unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
    std::string s;
    while (u) { s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10))); u /= 10; }
    return neg ? "-" + s : s;
  }

  Value finish(size_t i, State& s) {
    const AggDef& a = aggs_[i];
    if (a.ordered_set) {
      if (!s.has_direct) {  // no input rows: direct arguments cannot read columns here
        Row nulls(child_ ? child_->columns.size() : 0, Value::null(oid::kText));
        for (const auto& d : a.direct) s.direct.push_back(d->eval(nulls, *ctx_));
        s.has_direct = true;
      }
      std::stable_sort(s.ordered.begin(), s.ordered.end(),
                       [&](const auto& x, const auto& y) { return compare_sort_keys(x.first, y.first, a.order) < 0; });
      std::vector<Row> sorted;
      sorted.reserve(s.ordered.size());
      for (auto& [keys, args] : s.ordered) sorted.push_back(std::move(keys));
      s.ordered.clear();
      return ordered_set_final(a, s.direct, sorted);
    }
    if (!a.order.empty() || sorts_distinct(i)) {
      std::stable_sort(s.ordered.begin(), s.ordered.end(), [&](const auto& x, const auto& y) {
        for (size_t k = 0; k < a.order.size(); ++k) {
          const Value &p = x.first[k], &q = y.first[k];
          if (p.is_null() || q.is_null()) {
            if (p.is_null() && q.is_null()) continue;
            return p.is_null() == a.order[k].nulls_first;
          }
          int c = compare_values(p, q);
          if (c) return a.order[k].descending ? c > 0 : c < 0;
        }
        if (a.distinct)  // then by the arguments, ascending, NULLs last
          for (size_t k = 0; k < x.second.size(); ++k) {
            const Value &p = x.second[k], &q = y.second[k];
            if (p.is_null() || q.is_null()) {
              if (p.is_null() && q.is_null()) continue;
              return q.is_null();
            }
            if (int c = compare_values(p, q)) return c < 0;
          }
        return false;
      });
      for (const auto& [keys, args] : s.ordered) add(i, s, args);
      s.ordered.clear();
    }
    switch (kinds_[i]) {
      case Kind::kArrayAgg: {
        if (!s.any) return Value::null(a.type);
        if (!array::is_array(a.arg_type)) return array::make(a.type, array::Array::of(a.arg_type, s.items));
        array::Array out;
        out.elem = array::element_type(a.arg_type);
        out.dims.push_back(static_cast<int32_t>(s.count));
        out.dims.insert(out.dims.end(), s.inner_dims.begin(), s.inner_dims.end());
        out.lbounds.push_back(1);
        out.lbounds.insert(out.lbounds.end(), s.inner_lbounds.begin(), s.inner_lbounds.end());
        out.items = s.items;
        return array::make(a.type, out);
      }
      case Kind::kJsonAgg:
        if (!s.any) return Value::null(a.type);
        return Value::of(a.type, a.type == oid::kJsonb ? jsonb::normalize(s.text + "]") : s.text + "]");
      case Kind::kJsonObjectAgg:
        if (!s.any) return Value::null(a.type);
        return Value::of(a.type, a.type == oid::kJsonb ? jsonb::normalize(s.text + " }") : s.text + " }");
      case Kind::kCount:
      case Kind::kCountStar: return Value::int8(s.count);
      case Kind::kSum:
        if (!s.any) return Value::null(a.type);
        switch (a.arg_type) {
          case oid::kInt2: case oid::kInt4: return Value::int8(static_cast<int64_t>(s.isum));
          case oid::kInt8: return Value::of(oid::kNumeric, numeric::parse(int128_text(s.isum)));
          case oid::kNumeric: return Value::of(oid::kNumeric, s.nsum);
          case oid::kFloat4: return Value::of(oid::kFloat4, static_cast<double>(static_cast<float>(s.fsum)));
          case oid::kInterval: return Value::of(oid::kInterval, s.ivsum);
          default: return Value::float8(s.fsum);
        }
      case Kind::kAvg: {
        if (!s.any) return Value::null(a.type);
        std::string cnt = numeric::from_int64(s.count);
        switch (a.arg_type) {
          case oid::kInt2: case oid::kInt4: case oid::kInt8:
            return Value::of(oid::kNumeric, numeric::div(numeric::parse(int128_text(s.isum)), cnt));
          case oid::kNumeric: return Value::of(oid::kNumeric, numeric::div(s.nsum, cnt));
          // As interval / float8: fractions of months and days carry into days and time.
          case oid::kInterval: return Value::of(oid::kInterval, datetime::interval_div(s.ivsum, static_cast<double>(s.count)));
          default: return Value::float8(s.fsum / static_cast<double>(s.count));
        }
      }
      case Kind::kMin:
      case Kind::kMax: return s.any ? s.best : Value::null(a.type);
      case Kind::kBoolAnd:
      case Kind::kBoolOr: return s.any ? Value::boolean(s.b) : Value::null(oid::kBool);
      case Kind::kBitAnd:
      case Kind::kBitOr:
      case Kind::kBitXor: return s.any ? Value::of(a.type, static_cast<int64_t>(s.isum)) : Value::null(a.type);
      case Kind::kStringAgg: return s.any ? Value::of(a.type, s.text) : Value::null(a.type);
      case Kind::kVariance: {
        bool sample = a.name == "var_samp" || a.name == "variance" || a.name == "stddev_samp" || a.name == "stddev";
        bool root = a.name.starts_with("stddev");
        if (s.count == 0 || (sample && s.count == 1)) return Value::null(a.type);
        if (a.type == oid::kFloat8) {
          double var = s.fsxx / static_cast<double>(sample ? s.count - 1 : s.count);
          return Value::float8(root ? std::sqrt(var) : var);
        }
        // (N * sum(x^2) - sum(x)^2) / (N * (N - 1)), or N * N for the population.
        std::string n = numeric::from_int64(s.count);
        std::string num = numeric::sub(numeric::mul(n, s.nsum2), numeric::mul(s.nsum, s.nsum));
        if (numeric::cmp(num, "0") <= 0) return Value::of(oid::kNumeric, std::string("0"));
        std::string var = numeric::div(num, numeric::mul(n, sample ? numeric::from_int64(s.count - 1) : n));
        if (!root || var == "NaN") return Value::of(oid::kNumeric, var);  // an infinite or NaN input makes NaN
        size_t dot = var.find('.');
        return Value::of(oid::kNumeric, numeric::sqrt(var, dot == std::string::npos ? 0 : static_cast<int>(var.size() - dot - 1)));
      }
      case Kind::kRegression: {
        if (a.name == "regr_count") return Value::int8(static_cast<int64_t>(s.stats.n()));
        auto r = regression_result(a.name, s.stats);
        return r ? Value::float8(*r) : Value::null(oid::kFloat8);
      }
      case Kind::kOrderedSet: break;  // above
      case Kind::kUser: {
        user_start(a, s);
        const auto& u = *a.user;
        if (!u.finalfunc) return s.best.is_null() ? Value::null(a.type) : s.best;
        if (u.final_strict && s.best.is_null()) return Value::null(a.type);
        return u.finalfunc->eval(Row{s.best}, *ctx_);
      }
    }
    return Value::null(a.type);
  }

  struct Group {
    Row values;
    std::vector<State> states;
  };

 private:
  OperatorPtr child_;
  std::vector<ExprPtr> group_;
  std::vector<AggDef> aggs_;
  std::vector<Kind> kinds_;
  bool grouped_;
  ExecContext* ctx_ = nullptr;
  std::unordered_map<std::string, Group> groups_;
  std::vector<std::pair<const std::string, Group>*> order_;
  size_t pos_ = 0;
};

}  // namespace

bool is_aggregate(const std::string& n) {
  return n == "count" || n == "sum" || n == "avg" || n == "min" || n == "max" || n == "bool_and" ||
         n == "bool_or" || n == "every" || n == "bit_and" || n == "bit_or" || n == "bit_xor" || n == "string_agg" || n == "array_agg" || n == "json_agg" || n == "jsonb_agg" ||
         n == "json_object_agg" || n == "jsonb_object_agg" || is_variance(n) || is_regression_aggregate(n);
}

uint32_t aggregate_result_type(const std::string& n, uint32_t t) {
  if (n == "count" || n == "regr_count") return oid::kInt8;
  if (is_regression_aggregate(n)) return oid::kFloat8;
  if (n == "sum") {
    switch (t) {
      case oid::kInt2: case oid::kInt4: return oid::kInt8;
      case oid::kInt8: case oid::kNumeric: return oid::kNumeric;
      case oid::kFloat4: return oid::kFloat4;
      case oid::kFloat8: return oid::kFloat8;
      case oid::kInterval: return oid::kInterval;
      default: return 0;
    }
  }
  if (n == "avg") {
    switch (t) {
      case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kNumeric: return oid::kNumeric;
      case oid::kFloat4: case oid::kFloat8: return oid::kFloat8;
      case oid::kInterval: return oid::kInterval;
      default: return 0;
    }
  }
  if (is_variance(n)) {
    switch (t) {
      case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kNumeric: return oid::kNumeric;
      case oid::kFloat4: case oid::kFloat8: return oid::kFloat8;
      default: return 0;
    }
  }
  if (n == "min" || n == "max") return t == oid::kUnknownType ? oid::kText : t;
  if (n == "bool_and" || n == "bool_or" || n == "every") return t == oid::kBool ? oid::kBool : 0;
  if (n == "bit_and" || n == "bit_or" || n == "bit_xor") return t == oid::kInt2 || t == oid::kInt4 || t == oid::kInt8 ? t : 0;
  if (n == "string_agg") return t == oid::kBytea ? oid::kBytea : oid::kText;
  if (n == "array_agg") return array::is_array(t) ? (array::is_vector(t) ? 0 : t) : array::array_type_of(t == oid::kUnknownType ? oid::kText : t);
  if (n == "json_agg") return oid::kJson;
  if (n == "jsonb_agg") return oid::kJsonb;
  if (n == "json_object_agg") return oid::kJson;
  if (n == "jsonb_object_agg") return oid::kJsonb;
  return 0;
}

struct RunningAggregate::Impl {
  explicit Impl(std::vector<AggDef> defs) : agg(nullptr, {}, std::move(defs), false) {}
  Aggregate agg;
  State state;
};

RunningAggregate::RunningAggregate(AggDef def) {
  std::vector<AggDef> defs;
  defs.push_back(std::move(def));
  impl_ = std::make_unique<Impl>(std::move(defs));
}
RunningAggregate::~RunningAggregate() = default;
void RunningAggregate::reset() { impl_->state = State(); }
void RunningAggregate::add(const Row& row, ExecContext& ctx) {
  impl_->agg.set_context(ctx);
  impl_->agg.accumulate(0, impl_->state, row);
}
Value RunningAggregate::value(ExecContext& ctx) {
  impl_->agg.set_context(ctx);
  return impl_->agg.finish(0, impl_->state);
}

OperatorPtr make_aggregate(OperatorPtr child, std::vector<ExprPtr> group, std::vector<AggDef> aggs, bool has_grouping) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kAggregate;
  info.exprs = expr_pointers(group);
  info.count = aggs.size();
  OperatorPtr op = std::make_unique<Aggregate>(std::move(child), std::move(group), std::move(aggs), has_grouping);
  op->plan = std::move(info);
  return op;
}

}  // namespace heliosdb::exec
