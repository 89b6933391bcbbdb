// Scan, filter, project, sort, limit, distinct, values, joins and set operations.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "common/errors.h"
#include "catalog/system_views.h"
#include "common/array.h"
#include "common/record.h"
#include "common/key_codec.h"
#include "executor/functions.h"
#include "executor/operator.h"
#include "executor/table_access.h"
#include "storage/transaction.h"

namespace heliosdb::exec {

std::string row_key(const Row& row, size_t n) {
  std::string k;
  for (size_t i = 0; i < n; ++i) keys::append_value(k, row[i]);
  return k;
}

namespace {

std::vector<Column> table_columns(const catalog::TableDef& t) {
  std::vector<Column> cols;
  int16_t n = 0;
  for (const auto& c : t.columns) cols.push_back({c.name, c.type, c.typmod, t.id, ++n});
  return cols;
}

// Encodes a key prefix from expressions; false when a NULL makes the range empty.
bool encode_exprs(const std::vector<ExprPtr>& exprs, const std::vector<uint32_t>& types, std::string& out,
                  ExecContext& ctx) {
  for (size_t i = 0; i < exprs.size(); ++i) {
    Value v = exprs[i]->eval(Row{}, ctx);
    if (v.is_null()) return false;
    if (v.type() != types[i]) v = cast_value(v, types[i], -1, false, ctx);
    keys::append_value(out, v);
  }
  return true;
}

class TableScan final : public Operator {
 public:
  std::string describe() const override {
    const auto& t = *layout_.table;
    if (eq_.empty() && lo_.empty() && hi_.empty()) return "Seq Scan on " + t.name;
    return "Index Scan using " + t.name + "_pkey on " + t.name;
  }
  TableScan(std::shared_ptr<const catalog::TableDef> t, std::vector<ExprPtr> eq, std::vector<ExprPtr> lo, bool lo_inc,
            std::vector<ExprPtr> hi, bool hi_inc, bool emit_key)
      : layout_(std::move(t)), eq_(std::move(eq)), lo_(std::move(lo)), hi_(std::move(hi)), lo_inc_(lo_inc), hi_inc_(hi_inc),
        emit_key_(emit_key) {
    columns = table_columns(*layout_.table);
    if (emit_key_) columns.push_back({"ctid", oid::kBytea, -1, 0, 0});
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    storage::Transaction::recycle(std::move(it_));
    std::string begin = layout_.prefix, end;
    std::vector<uint32_t> key_types;
    for (size_t i : layout_.pk) key_types.push_back(layout_.types[i]);
    empty_ = !encode_exprs(eq_, key_types, begin, ctx);
    end = keys::prefix_successor(begin);
    if (!empty_ && !lo_.empty()) {
      std::string b = begin;
      std::vector<uint32_t> t(key_types.begin() + static_cast<long>(eq_.size()), key_types.end());
      if (!encode_exprs(lo_, t, b, ctx)) empty_ = true;
      else begin = lo_inc_ ? b : keys::prefix_successor(b);
    }
    if (!empty_ && !hi_.empty()) {
      std::string e = layout_.prefix;
      encode_exprs(eq_, key_types, e, ctx);
      std::vector<uint32_t> t(key_types.begin() + static_cast<long>(eq_.size()), key_types.end());
      if (!encode_exprs(hi_, t, e, ctx)) empty_ = true;
      else end = hi_inc_ ? keys::prefix_successor(e) : e;
    }
    // The whole primary key: one point read. (An iterator would also step past the key, and
    // LevelDB steps over every older version of it still kept, which for a row updated
    // thousands of times a second is most of the statement's time.)
    point_ = !empty_ && !eq_.empty() && eq_.size() == layout_.pk.size();
    if (point_) {
      point_value_ = ctx.txn->get(begin);
      if (point_value_ && emit_key_) point_key_ = std::move(begin);
      return;
    }
    // Only NOT NULL keys are stored with tag 0x01; NULLs never match a range.
    it_ = empty_ ? nullptr : ctx.txn->scan(begin, end);
  }
  bool do_next(Row& row) override {
    if (point_) {
      if (!point_value_) return false;
      layout_.decode(*point_value_, row);
      if (emit_key_) row.push_back(Value::of(oid::kBytea, std::move(point_key_)));
      point_value_.reset();
      return true;
    }
    if (!it_ || !it_->valid()) return false;
    ctx_->check_cancel();
    layout_.decode(it_->value(), row);
    if (emit_key_) row.push_back(Value::of(oid::kBytea, std::string(it_->key())));
    it_->next();
    return true;
  }
  void do_close() override {
    storage::Transaction::recycle(std::move(it_));
    point_value_.reset();
  }

 private:
  TableLayout layout_;
  std::vector<ExprPtr> eq_, lo_, hi_;
  bool lo_inc_, hi_inc_, emit_key_, empty_ = false, point_ = false;
  std::optional<std::string> point_value_;
  std::string point_key_;
  ExecContext* ctx_ = nullptr;
  std::unique_ptr<storage::Transaction::Iterator> it_;
};

class IndexScan final : public Operator {
 public:
  std::string describe() const override { return "Index Scan using " + index_->name + " on " + layout_.table->name; }
  IndexScan(std::shared_ptr<const catalog::TableDef> t, std::shared_ptr<const catalog::IndexDef> idx, std::vector<ExprPtr> prefix,
            bool emit_key, std::vector<ExprPtr> lo, bool lo_inc, std::vector<ExprPtr> hi, bool hi_inc)
      : layout_(std::move(t)), index_(std::move(idx)), prefix_(std::move(prefix)), lo_(std::move(lo)), hi_(std::move(hi)),
        emit_key_(emit_key), lo_inc_(lo_inc), hi_inc_(hi_inc) {
    columns = table_columns(*layout_.table);
    if (emit_key_) columns.push_back({"ctid", oid::kBytea, -1, 0, 0});
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    storage::Transaction::recycle(std::move(it_));
    std::string base = index_prefix(index_->id);
    std::vector<uint32_t> types;
    for (uint32_t cid : index_->columns) types.push_back(layout_.types[static_cast<size_t>(layout_.table->column_index_by_id(cid))]);
    if (!encode_exprs(prefix_, types, base, ctx)) return;
    std::string begin = base, end = keys::prefix_successor(base);
    // A range on the next column: NULLs (encoded after every value) never match one.
    std::vector<uint32_t> next(types.begin() + static_cast<long>(prefix_.size()), types.end());
    if (!lo_.empty()) {
      std::string b = base;
      if (!encode_exprs(lo_, next, b, ctx)) return;
      begin = lo_inc_ ? b : keys::prefix_successor(b);
      end = base;
      keys::append_value(end, Value::null(next[0]));
    }
    if (!hi_.empty()) {
      std::string e = base;
      if (!encode_exprs(hi_, next, e, ctx)) return;
      end = hi_inc_ ? keys::prefix_successor(e) : e;
    }
    if (begin < end) it_ = ctx.txn->scan(begin, end);
  }
  bool do_next(Row& row) override {
    while (it_ && it_->valid()) {
      ctx_->check_cancel();
      std::string key = layout_.prefix;
      key.append(it_->value());
      it_->next();
      auto v = ctx_->txn->get(key);
      if (!v) continue;  // stale entry cannot happen in one snapshot, but be safe
      layout_.decode(*v, row);
      if (emit_key_) row.push_back(Value::of(oid::kBytea, std::move(key)));
      return true;
    }
    return false;
  }
  void do_close() override { storage::Transaction::recycle(std::move(it_)); }

 private:
  TableLayout layout_;
  std::shared_ptr<const catalog::IndexDef> index_;
  std::vector<ExprPtr> prefix_, lo_, hi_;
  bool emit_key_, lo_inc_, hi_inc_;
  ExecContext* ctx_ = nullptr;
  std::unique_ptr<storage::Transaction::Iterator> it_;
};

class Filter final : public Operator {
 public:
  std::string describe() const override { return ""; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Filter(OperatorPtr c, ExprPtr p) : child_(std::move(c)), pred_(std::move(p)) { columns = child_->columns; }
  void do_open(ExecContext& ctx) override { ctx_ = &ctx; child_->open(ctx); }
  bool do_next(Row& row) override {
    while (child_->next(row))
      if (is_true(pred_->eval(row, *ctx_))) return true;
    return false;
  }
  void do_close() override { child_->close(); }

 private:
  OperatorPtr child_;
  ExprPtr pred_;
  ExecContext* ctx_ = nullptr;
};

class Project final : public Operator {
 public:
  std::string describe() const override { return ""; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Project(OperatorPtr c, std::vector<ExprPtr> e, std::vector<Column> cols) : child_(std::move(c)), exprs_(std::move(e)) {
    columns = std::move(cols);
  }
  void do_open(ExecContext& ctx) override { ctx_ = &ctx; child_->open(ctx); }
  bool do_next(Row& row) override {
    if (!child_->next(in_)) return false;
    row.resize(exprs_.size());
    for (size_t i = 0; i < exprs_.size(); ++i) row[i] = exprs_[i]->eval(in_, *ctx_);
    return true;
  }
  void do_close() override { child_->close(); }

 private:
  OperatorPtr child_;
  std::vector<ExprPtr> exprs_;
  ExecContext* ctx_ = nullptr;
  Row in_;
};

// An operator whose do_open reads all its rows into rows_: they are handed out in order, moved.
class BufferedRows : public Operator {
 protected:
  bool do_next(Row& row) override {
    if (pos_ >= rows_.size()) return false;
    row = std::move(rows_[pos_++]);
    return true;
  }
  void do_close() override { rows_.clear(); }
  std::vector<Row> rows_;
  size_t pos_ = 0;
};

class Sort final : public BufferedRows {
 public:
  std::string describe() const override { return "Sort"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Sort(OperatorPtr c, std::vector<SortKey> k) : child_(std::move(c)), keys_(std::move(k)) { columns = child_->columns; }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    rows_.clear();
    pos_ = 0;
    child_->open(ctx);
    Row r;
    while (child_->next(r)) rows_.push_back(std::move(r));
    child_->close();
    std::stable_sort(rows_.begin(), rows_.end(), [this](const Row& a, const Row& b) { return less(a, b); });
  }

 private:
  bool less(const Row& a, const Row& b) const {
    for (const auto& k : keys_) {
      const Value &x = a[k.column], &y = b[k.column];
      if (x.is_null() || y.is_null()) {
        if (x.is_null() && y.is_null()) continue;
        // NULLs sort as larger than everything unless NULLS FIRST.
        return x.is_null() == k.nulls_first;
      }
      int c = compare_values(x, y);
      if (c == 0) continue;
      return k.descending ? c > 0 : c < 0;
    }
    return false;
  }
  OperatorPtr child_;
  std::vector<SortKey> keys_;
  ExecContext* ctx_ = nullptr;
};

class Limit final : public Operator {
 public:
  std::string describe() const override { return "Limit"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Limit(OperatorPtr c, ExprPtr l, ExprPtr o, std::vector<size_t> ties)
      : child_(std::move(c)), limit_(std::move(l)), offset_(std::move(o)), ties_(std::move(ties)) {
    columns = child_->columns;
  }
  void do_open(ExecContext& ctx) override {
    remaining_ = -1;
    skip_ = 0;
    tie_.clear();
    if (limit_) {
      Value v = limit_->eval(Row{}, ctx);
      if (v.is_null() && !ties_.empty())
        raise(sqlstate::kInvalidRowCountInLimitClause, "row count cannot be null in FETCH FIRST ... WITH TIES clause");
      if (!v.is_null()) {
        remaining_ = v.as_int();
        if (remaining_ < 0) raise(sqlstate::kInvalidRowCountInLimitClause, "LIMIT must not be negative");
      }
    }
    if (offset_) {
      Value v = offset_->eval(Row{}, ctx);
      if (!v.is_null()) {
        skip_ = v.as_int();
        if (skip_ < 0) raise(sqlstate::kInvalidRowCountInResultOffsetClause, "OFFSET must not be negative");
      }
    }
    child_->open(ctx);
  }
  bool do_next(Row& row) override {
    if (remaining_ == 0) {
      // WITH TIES: go on while the ORDER BY values equal the last counted row's.
      if (tie_.empty() || !child_->next(row)) return false;
      for (size_t i = 0; i < ties_.size(); ++i) {
        const Value& v = row[ties_[i]];
        if (v.is_null() != tie_[i].is_null() || (!v.is_null() && compare_values(v, tie_[i]) != 0)) {
          tie_.clear();
          return false;
        }
      }
      return true;
    }
    while (skip_ > 0) {
      if (!child_->next(row)) return false;
      --skip_;
    }
    if (!child_->next(row)) return false;
    if (remaining_ > 0 && --remaining_ == 0 && !ties_.empty())
      for (size_t c : ties_) tie_.push_back(row[c]);
    return true;
  }
  void do_close() override { child_->close(); }

 private:
  OperatorPtr child_;
  ExprPtr limit_, offset_;
  std::vector<size_t> ties_;
  Row tie_;  // the last counted row's ORDER BY values
  int64_t remaining_ = -1, skip_ = 0;
};

class Distinct final : public Operator {
 public:
  std::string describe() const override { return "HashAggregate"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Distinct(OperatorPtr c, size_t n) : child_(std::move(c)), n_(n) { columns = child_->columns; }
  void do_open(ExecContext& ctx) override { seen_.clear(); child_->open(ctx); }
  bool do_next(Row& row) override {
    while (child_->next(row))
      if (seen_.insert(row_key(row, n_)).second) return true;
    return false;
  }
  void do_close() override { child_->close(); seen_.clear(); }

 private:
  OperatorPtr child_;
  size_t n_;
  std::unordered_set<std::string> seen_;
};

class Values final : public Operator {
 public:
  // One row (SELECT without FROM, VALUES of one row): PostgreSQL's Result.
  std::string describe() const override { return rows_.size() == 1 ? "Result" : "Values Scan on \"*VALUES*\""; }
  Values(std::vector<std::vector<ExprPtr>> rows, std::vector<Column> cols) : rows_(std::move(rows)) { columns = std::move(cols); }
  void do_open(ExecContext& ctx) override { ctx_ = &ctx; pos_ = 0; }
  bool do_next(Row& row) override {
    if (pos_ >= rows_.size()) return false;
    const auto& r = rows_[pos_++];
    row.resize(r.size());
    Row empty;
    for (size_t i = 0; i < r.size(); ++i) row[i] = r[i]->eval(ctx_->outer ? *ctx_->outer : empty, *ctx_);
    return true;
  }

 private:
  std::vector<std::vector<ExprPtr>> rows_;
  ExecContext* ctx_ = nullptr;
  size_t pos_ = 0;
};

class Series final : public Operator {
 public:
  std::string describe() const override { return "Function Scan on generate_series"; }
  Series(ExprPtr start, ExprPtr stop, ExprPtr step, ExprPtr advance, ExprPtr up, ExprPtr down, bool ordinality,
         std::vector<Column> cols)
      : start_(std::move(start)), stop_(std::move(stop)), step_(std::move(step)), advance_(std::move(advance)),
        up_(std::move(up)), down_(std::move(down)), ordinality_(ordinality) {
    columns = std::move(cols);
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    Row none;
    const Row& outer = ctx.outer ? *ctx.outer : none;
    cur_ = start_->eval(outer, ctx);
    stop_value_ = stop_->eval(outer, ctx);
    step_value_ = step_->eval(outer, ctx);
    n_ = 0;
    done_ = cur_.is_null() || stop_value_.is_null() || step_value_.is_null();
    if (done_) return;
    if (cur_.type() == oid::kNumeric) {  // PostgreSQL refuses what would never end
      for (auto [v, what] : {std::pair{&cur_, "start value"}, {&stop_value_, "stop value"}, {&step_value_, "step size"}}) {
        const std::string& s = v->as_string();
        if (s == "NaN") raise(sqlstate::kInvalidParameterValue, "{} cannot be NaN", what);
        if (s == "Infinity" || s == "-Infinity") raise(sqlstate::kInvalidParameterValue, "{} cannot be infinity", what);
      }
    }
    // The direction: whether start + step lies above start (step = 0 is an error, as in PostgreSQL).
    Value next = advance_->eval(Row{cur_, step_value_}, ctx);
    int c = compare_values(next, cur_);
    if (c == 0) raise(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
    ascending_ = c > 0;
  }
  bool do_next(Row& row) override {
    if (done_) return false;
    ctx_->check_cancel();
    const ExprPtr& in_range = ascending_ ? up_ : down_;
    if (!is_true(in_range->eval(Row{cur_, stop_value_}, *ctx_))) {
      done_ = true;
      return false;
    }
    row.assign(1, cur_);
    if (ordinality_) row.push_back(Value::int8(++n_));
    try {
      cur_ = advance_->eval(Row{cur_, step_value_}, *ctx_);
    } catch (const Error& e) {
      if (e.sqlstate() != std::string_view(sqlstate::kNumericValueOutOfRange) &&
          e.sqlstate() != std::string_view(sqlstate::kDatetimeValueOutOfRange))
        throw;
      done_ = true;  // the next value would overflow: this one was the last
    }
    return true;
  }

 private:
  ExprPtr start_, stop_, step_, advance_, up_, down_;
  bool ordinality_;
  ExecContext* ctx_ = nullptr;
  Value cur_, stop_value_, step_value_;
  int64_t n_ = 0;
  bool done_ = true, ascending_ = true;
};

// unnest(array): its elements in storage order (every dimension flattened).
// unnest(a [, b ...]) in FROM: one column per array, as long as the longest (NULLs pad the others).
class Unnest final : public Operator {
 public:
  std::string describe() const override { return "Function Scan on unnest"; }
  Unnest(std::vector<ExprPtr> args, bool ordinality, std::vector<Column> cols) : args_(std::move(args)), ordinality_(ordinality) {
    columns = std::move(cols);
  }
  void do_open(ExecContext& ctx) override {
    Row none;
    items_.clear();
    types_.clear();
    size_ = 0;
    for (const auto& a : args_) {
      Value v = a->eval(ctx.outer ? *ctx.outer : none, ctx);
      items_.push_back(v.is_null() ? std::vector<Value>{} : array::decode(v).items);
      types_.push_back(array::element_type(a->type));
      size_ = std::max(size_, items_.back().size());
    }
    pos_ = 0;
  }
  bool do_next(Row& row) override {
    if (pos_ >= size_) return false;
    row.clear();
    for (size_t k = 0; k < items_.size(); ++k) {
      Value v = pos_ < items_[k].size() ? std::move(items_[k][pos_]) : Value::null(types_[k]);
      if (split_options_) {  // pg_options_to_table: "name=value" as two columns
        std::string s = v.is_null() ? "" : v.as_string();
        size_t eq = s.find('=');
        row.push_back(Value::text(s.substr(0, eq)));
        row.push_back(eq == std::string::npos ? Value::null(oid::kText) : Value::text(s.substr(eq + 1)));
      } else {
        row.push_back(std::move(v));
      }
    }
    ++pos_;
    if (ordinality_) row.push_back(Value::int8(static_cast<int64_t>(pos_)));
    return true;
  }
  bool split_options_ = false;

 private:
  std::vector<ExprPtr> args_;
  bool ordinality_;
  std::vector<std::vector<Value>> items_;
  std::vector<uint32_t> types_;
  size_t size_ = 0, pos_ = 0;
};

class RecursiveUnion final : public Operator {
 public:
  std::string describe() const override { return "Recursive Union"; }
  std::vector<const Operator*> inputs() const override { return {base_.get(), rec_.get()}; }
  RecursiveUnion(OperatorPtr base, OperatorPtr rec, std::shared_ptr<std::vector<Row>> work, bool all, std::vector<Column> cols)
      : base_(std::move(base)), rec_(std::move(rec)), work_(std::move(work)), all_(all) {
    columns = std::move(cols);
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    seen_.clear();
    pending_.clear();
    pos_ = 0;
    base_->open(ctx);
    Row r;
    while (base_->next(r)) add(std::move(r));
    base_->close();
    round_ = pending_;
  }
  bool do_next(Row& row) override {
    while (pos_ >= pending_.size()) {
      // The next round reads the rows the previous one added.
      if (round_.empty()) return false;
      pending_.clear();
      pos_ = 0;
      *work_ = std::move(round_);
      round_.clear();
      rec_->open(*ctx_);
      Row r;
      while (rec_->next(r)) {
        ctx_->check_cancel();
        add(std::move(r));
      }
      rec_->close();
      round_ = pending_;
    }
    row = pending_[pos_++];
    return true;
  }
  void do_close() override {
    pending_.clear();
    round_.clear();
    seen_.clear();
  }

 private:
  void add(Row r) {
    if (!all_ && !seen_.insert(row_key(r, r.size())).second) return;
    pending_.push_back(std::move(r));
  }
  OperatorPtr base_, rec_;
  std::shared_ptr<std::vector<Row>> work_;
  bool all_;
  ExecContext* ctx_ = nullptr;
  std::unordered_set<std::string> seen_;
  std::vector<Row> pending_, round_;
  size_t pos_ = 0;
};

class ProjectSet final : public Operator {
 public:
  std::string describe() const override { return "ProjectSet"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  ProjectSet(OperatorPtr child, std::vector<SetFunction> fns) : child_(std::move(child)), fns_(std::move(fns)) {
    columns = child_->columns;
    for (const auto& f : fns_) columns.push_back({"", f.type, -1, 0, 0});
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    child_->open(ctx);
    pos_ = count_ = 0;
  }
  bool do_next(Row& row) override {
    while (pos_ >= count_) {
      if (!child_->next(input_)) return false;
      results_.clear();
      count_ = 0;
      for (const auto& f : fns_) {
        results_.push_back(evaluate(f));
        count_ = std::max(count_, results_.back().size());
      }
      pos_ = 0;
    }
    row = input_;
    for (size_t i = 0; i < fns_.size(); ++i)
      row.push_back(pos_ < results_[i].size() ? results_[i][pos_] : Value::null(fns_[i].type));
    ++pos_;
    return true;
  }
  void do_close() override { child_->close(); }

 private:
  std::vector<Value> evaluate(const SetFunction& f) {
    std::vector<Value> args;
    for (const auto& a : f.args) {
      args.push_back(a->eval(input_, *ctx_));
      if (args.back().is_null()) return {};
    }
    std::vector<Value> out;
    switch (f.kind) {
      case SetFunction::kUnnest: return array::decode(args[0]).items;
      case SetFunction::kIntSeries: {
        int64_t from = args[0].as_int(), to = args[1].as_int(), by = args.size() > 2 ? args[2].as_int() : 1;
        if (by == 0) raise(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
        for (int64_t v = from; by > 0 ? v <= to : v >= to; v += by) {
          ctx_->check_cancel();
          out.push_back(Value::of(f.type, v));
        }
        return out;
      }
      case SetFunction::kExpandArray: {
        array::Array a = array::decode(args[0]);
        record::Record r;
        r.names = {"x", "n"};
        for (size_t i = 0; i < a.items.size(); ++i) {
          r.values = {a.items[i], Value::int4(static_cast<int32_t>(i + 1))};
          out.push_back(record::make(oid::kRecord, r));
        }
        return out;
      }
      case SetFunction::kArrayRows: {
        array::Array a = array::decode(args[0]);
        if (a.dims.size() != 2) return out;
        auto width = static_cast<size_t>(a.dims[1]);
        for (size_t r = 0; r < static_cast<size_t>(a.dims[0]); ++r) {
          auto first = a.items.begin() + static_cast<long>(r * width);
          out.push_back(array::make(f.type, array::Array::of(a.elem, std::vector<Value>(first, first + static_cast<long>(width)))));
        }
        return out;
      }
      case SetFunction::kSubscripts: {
        array::Array a = array::decode(args[0]);
        int64_t d = args[1].as_int();
        if (d < 1 || d > static_cast<int64_t>(a.dims.size())) return out;
        int32_t lb = a.lbounds[static_cast<size_t>(d - 1)], n = a.dims[static_cast<size_t>(d - 1)];
        bool reverse = args.size() > 2 && args[2].as_bool();
        for (int32_t i = 0; i < n; ++i) out.push_back(Value::int4(reverse ? lb + n - 1 - i : lb + i));
        return out;
      }
    }
    return out;
  }
  OperatorPtr child_;
  std::vector<SetFunction> fns_;
  ExecContext* ctx_ = nullptr;
  Row input_;
  std::vector<std::vector<Value>> results_;
  size_t pos_ = 0, count_ = 0;
};

class SystemScan final : public Operator {
 public:
  std::string describe() const override { return "Seq Scan on " + view_->name; }
  SystemScan(const catalog::SystemView* view, std::vector<Column> cols) : view_(view) { columns = std::move(cols); }
  // The rows are made once per execution of the statement: a correlated subquery over a
  // catalog (pg_dump's over pg_type) reopens the scan for every outer row.
  void do_open(ExecContext& ctx) override {
    if (run_ != ctx.run_id || catalog_ != ctx.catalog) {
      rows_ = ctx.services->system_rows(*view_, *ctx.catalog);
      for (Row& r : rows_) r.push_back(Value::of(oid::kOid, int64_t{view_->oid}));
      run_ = ctx.run_id;
      catalog_ = ctx.catalog;
    }
    pos_ = 0;
  }
  bool do_next(Row& row) override {
    if (pos_ >= rows_.size()) return false;
    row = rows_[pos_++];
    return true;
  }

 private:
  const catalog::SystemView* view_;
  std::vector<Row> rows_;
  uint64_t run_ = 0;
  const catalog::Catalog* catalog_ = nullptr;
  size_t pos_ = 0;
};

class RowsOp final : public Operator {
 public:
  std::string describe() const override { return "WorkTable Scan"; }
  RowsOp(std::shared_ptr<std::vector<Row>> rows, std::vector<Column> cols) : rows_(std::move(rows)) { columns = std::move(cols); }
  void do_open(ExecContext&) override { pos_ = 0; }
  bool do_next(Row& row) override {
    if (pos_ >= rows_->size()) return false;
    row = (*rows_)[pos_++];
    return true;
  }

 private:
  std::shared_ptr<std::vector<Row>> rows_;
  size_t pos_ = 0;
};

Row null_row(const std::vector<Column>& cols) {
  Row r;
  for (const auto& c : cols) r.push_back(Value::null(c.type_oid));
  return r;
}

class NestedLoopJoin final : public Operator {
 public:
  std::string describe() const override {
    return type_ == JoinType::kLeft ? "Nested Loop Left Join" : type_ == JoinType::kRight ? "Nested Loop Left Join"
           : type_ == JoinType::kFull ? "Nested Loop Full Join" : "Nested Loop";
  }
  std::vector<const Operator*> inputs() const override { return {left_.get(), right_.get()}; }
  NestedLoopJoin(OperatorPtr l, OperatorPtr r, ExprPtr cond, JoinType t)
      : left_(std::move(l)), right_(std::move(r)), cond_(std::move(cond)), type_(t) {
    columns = left_->columns;
    columns.insert(columns.end(), right_->columns.begin(), right_->columns.end());
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    right_rows_.clear();
    right_->open(ctx);
    Row r;
    while (right_->next(r)) right_rows_.push_back(std::move(r));
    right_->close();
    right_matched_.assign(right_rows_.size(), false);
    left_->open(ctx);
    have_left_ = false;
    emitting_unmatched_right_ = false;
    unmatched_pos_ = 0;
  }
  bool do_next(Row& row) override {
    for (;;) {
      if (emitting_unmatched_right_) {
        while (unmatched_pos_ < right_rows_.size()) {
          size_t i = unmatched_pos_++;
          if (right_matched_[i]) continue;
          row = null_row(left_->columns);
          row.insert(row.end(), right_rows_[i].begin(), right_rows_[i].end());
          return true;
        }
        return false;
      }
      if (!have_left_) {
        if (!left_->next(left_row_)) {
          if (type_ == JoinType::kRight || type_ == JoinType::kFull) {
            emitting_unmatched_right_ = true;
            continue;
          }
          return false;
        }
        have_left_ = true;
        pos_ = 0;
        matched_ = false;
      }
      while (pos_ < right_rows_.size()) {
        if ((pos_ & 1023) == 0) ctx_->check_cancel();
        size_t i = pos_++;
        row = left_row_;
        row.insert(row.end(), right_rows_[i].begin(), right_rows_[i].end());
        if (!cond_ || is_true(cond_->eval(row, *ctx_))) {
          matched_ = true;
          right_matched_[i] = true;
          return true;
        }
      }
      have_left_ = false;
      if (!matched_ && (type_ == JoinType::kLeft || type_ == JoinType::kFull)) {
        row = left_row_;
        Row nr = null_row(right_->columns);
        row.insert(row.end(), nr.begin(), nr.end());
        return true;
      }
    }
  }
  void do_close() override { left_->close(); right_rows_.clear(); }

 private:
  OperatorPtr left_, right_;
  ExprPtr cond_;
  JoinType type_;
  ExecContext* ctx_ = nullptr;
  std::vector<Row> right_rows_;
  std::vector<bool> right_matched_;
  Row left_row_;
  bool have_left_ = false, matched_ = false, emitting_unmatched_right_ = false;
  size_t pos_ = 0, unmatched_pos_ = 0;
};

class HashJoin final : public Operator {
 public:
  std::string describe() const override {
    return type_ == JoinType::kLeft ? "Hash Left Join" : type_ == JoinType::kRight ? "Hash Right Join"
           : type_ == JoinType::kFull ? "Hash Full Join" : "Hash Join";
  }
  std::vector<const Operator*> inputs() const override { return {left_.get(), right_.get()}; }
  HashJoin(OperatorPtr l, OperatorPtr r, std::vector<size_t> lk, std::vector<size_t> rk, ExprPtr residual, JoinType t)
      : left_(std::move(l)), right_(std::move(r)), lk_(std::move(lk)), rk_(std::move(rk)), residual_(std::move(residual)), type_(t) {
    columns = left_->columns;
    columns.insert(columns.end(), right_->columns.begin(), right_->columns.end());
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    table_.clear();
    right_rows_.clear();
    right_->open(ctx);
    Row r;
    while (right_->next(r)) {
      std::string k;
      if (make_key(r, rk_, k)) table_[k].push_back(right_rows_.size());
      right_rows_.push_back(std::move(r));
    }
    right_->close();
    right_matched_.assign(right_rows_.size(), false);
    left_->open(ctx);
    have_left_ = false;
    emitting_unmatched_right_ = false;
    unmatched_pos_ = 0;
  }
  bool do_next(Row& row) override {
    for (;;) {
      if (emitting_unmatched_right_) {
        while (unmatched_pos_ < right_rows_.size()) {
          size_t i = unmatched_pos_++;
          if (right_matched_[i]) continue;
          row = null_row(left_->columns);
          row.insert(row.end(), right_rows_[i].begin(), right_rows_[i].end());
          return true;
        }
        return false;
      }
      if (!have_left_) {
        if (!left_->next(left_row_)) {
          if (type_ == JoinType::kRight || type_ == JoinType::kFull) {
            emitting_unmatched_right_ = true;
            continue;
          }
          return false;
        }
        have_left_ = true;
        matched_ = false;
        bucket_ = nullptr;
        pos_ = 0;
        std::string k;
        if (make_key(left_row_, lk_, k)) {
          auto it = table_.find(k);
          if (it != table_.end()) bucket_ = &it->second;
        }
      }
      while (bucket_ && pos_ < bucket_->size()) {
        size_t i = (*bucket_)[pos_++];
        row = left_row_;
        row.insert(row.end(), right_rows_[i].begin(), right_rows_[i].end());
        if (!residual_ || is_true(residual_->eval(row, *ctx_))) {
          matched_ = true;
          right_matched_[i] = true;
          return true;
        }
      }
      have_left_ = false;
      if (!matched_ && (type_ == JoinType::kLeft || type_ == JoinType::kFull)) {
        row = left_row_;
        Row nr = null_row(right_->columns);
        row.insert(row.end(), nr.begin(), nr.end());
        return true;
      }
    }
  }
  void do_close() override { left_->close(); table_.clear(); right_rows_.clear(); }

 private:
  static bool make_key(const Row& r, const std::vector<size_t>& cols, std::string& k) {
    for (size_t c : cols) {
      if (r[c].is_null()) return false;
      keys::append_value(k, r[c]);
    }
    return true;
  }
  OperatorPtr left_, right_;
  std::vector<size_t> lk_, rk_;
  ExprPtr residual_;
  JoinType type_;
  ExecContext* ctx_ = nullptr;
  std::unordered_map<std::string, std::vector<size_t>> table_;
  std::vector<Row> right_rows_;
  std::vector<bool> right_matched_;
  const std::vector<size_t>* bucket_ = nullptr;
  Row left_row_;
  bool have_left_ = false, matched_ = false, emitting_unmatched_right_ = false;
  size_t pos_ = 0, unmatched_pos_ = 0;
};

class SetOp final : public Operator {
 public:
  std::string describe() const override {
    if (kind_ == SetOpKind::kUnion) return all_ ? "Append" : "HashAggregate";
    return kind_ == SetOpKind::kIntersect ? (all_ ? "HashSetOp Intersect All" : "HashSetOp Intersect")
                                          : (all_ ? "HashSetOp Except All" : "HashSetOp Except");
  }
  std::vector<const Operator*> inputs() const override { return {left_.get(), right_.get()}; }
  SetOp(OperatorPtr l, OperatorPtr r, SetOpKind k, bool all) : left_(std::move(l)), right_(std::move(r)), kind_(k), all_(all) {
    columns = left_->columns;
  }
  void do_open(ExecContext& ctx) override {
    out_.clear();
    pos_ = 0;
    size_t n = columns.size();
    std::vector<Row> lrows;
    Row r;
    left_->open(ctx);
    while (left_->next(r)) lrows.push_back(r);
    left_->close();
    std::unordered_map<std::string, int64_t> rcount;
    std::vector<Row> rrows;
    right_->open(ctx);
    while (right_->next(r)) {
      if (kind_ == SetOpKind::kUnion) rrows.push_back(r);
      else ++rcount[row_key(r, n)];
    }
    right_->close();
    if (kind_ == SetOpKind::kUnion) {
      std::unordered_set<std::string> seen;
      for (auto* rows : {&lrows, &rrows})
        for (auto& row : *rows)
          if (all_ || seen.insert(row_key(row, n)).second) out_.push_back(std::move(row));
      return;
    }
    std::unordered_set<std::string> emitted;
    for (auto& row : lrows) {
      std::string k = row_key(row, n);
      auto it = rcount.find(k);
      bool in_right = it != rcount.end() && it->second > 0;
      if (kind_ == SetOpKind::kIntersect) {
        if (!in_right) continue;
        if (all_) --it->second;
        else if (!emitted.insert(k).second) continue;
        out_.push_back(std::move(row));
      } else {
        if (in_right) {
          if (all_) --it->second;
          continue;
        }
        if (!all_ && !emitted.insert(k).second) continue;
        out_.push_back(std::move(row));
      }
    }
  }
  bool do_next(Row& row) override {
    if (pos_ >= out_.size()) return false;
    row = std::move(out_[pos_++]);
    return true;
  }

 private:
  OperatorPtr left_, right_;
  SetOpKind kind_;
  bool all_;
  std::vector<Row> out_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<const Expr*> expr_pointers(const std::vector<ExprPtr>& v) {
  std::vector<const Expr*> out;
  for (const auto& e : v) out.push_back(e.get());
  return out;
}

namespace {
// op with its PlanInfo.
OperatorPtr planned(OperatorPtr op, PlanInfo info) {
  op->plan = std::move(info);
  return op;
}
PlanInfo scan_info(PlanInfo::Kind kind, const catalog::TableDef* table, const catalog::IndexDef* index,
                   const std::vector<ExprPtr>& prefix, const std::vector<ExprPtr>& lower, bool lower_inclusive,
                   const std::vector<ExprPtr>& upper, bool upper_inclusive) {
  PlanInfo info;
  info.kind = kind;
  info.table = table;
  info.index = index;
  info.exprs = expr_pointers(prefix);
  info.lower = expr_pointers(lower);
  info.upper = expr_pointers(upper);
  info.lower_inclusive = lower_inclusive;
  info.upper_inclusive = upper_inclusive;
  return info;
}
}  // namespace

OperatorPtr make_table_scan(std::shared_ptr<const catalog::TableDef> table, std::vector<ExprPtr> key_prefix,
                            std::vector<ExprPtr> lower, bool lower_inclusive, std::vector<ExprPtr> upper,
                            bool upper_inclusive, bool emit_key) {
  PlanInfo info = scan_info(key_prefix.empty() && lower.empty() && upper.empty() ? PlanInfo::Kind::kSeqScan : PlanInfo::Kind::kKeyScan,
                            table.get(), nullptr, key_prefix, lower, lower_inclusive, upper, upper_inclusive);
  return planned(std::make_unique<TableScan>(std::move(table), std::move(key_prefix), std::move(lower), lower_inclusive,
                                             std::move(upper), upper_inclusive, emit_key),
                 std::move(info));
}
OperatorPtr make_index_scan(std::shared_ptr<const catalog::TableDef> table, std::shared_ptr<const catalog::IndexDef> index,
                            std::vector<ExprPtr> prefix, bool emit_key, std::vector<ExprPtr> lower, bool lower_inclusive,
                            std::vector<ExprPtr> upper, bool upper_inclusive) {
  PlanInfo info = scan_info(PlanInfo::Kind::kIndexScan, table.get(), index.get(), prefix, lower, lower_inclusive, upper,
                            upper_inclusive);
  return planned(std::make_unique<IndexScan>(std::move(table), std::move(index), std::move(prefix), emit_key, std::move(lower),
                                             lower_inclusive, std::move(upper), upper_inclusive),
                 std::move(info));
}
OperatorPtr make_filter(OperatorPtr child, ExprPtr predicate) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kFilter;
  info.predicate = predicate.get();
  return planned(std::make_unique<Filter>(std::move(child), std::move(predicate)), std::move(info));
}
OperatorPtr make_project(OperatorPtr child, std::vector<ExprPtr> exprs, std::vector<Column> columns) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kProject;
  info.exprs = expr_pointers(exprs);
  return planned(std::make_unique<Project>(std::move(child), std::move(exprs), std::move(columns)), std::move(info));
}
OperatorPtr make_sort(OperatorPtr child, std::vector<SortKey> keys) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kSort;
  for (const auto& k : keys) info.left_keys.push_back(k.column);
  return planned(std::make_unique<Sort>(std::move(child), std::move(keys)), std::move(info));
}
OperatorPtr make_limit(OperatorPtr child, ExprPtr limit, ExprPtr offset, std::vector<size_t> ties) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kLimit;
  info.exprs = {limit.get(), offset.get()};
  return planned(std::make_unique<Limit>(std::move(child), std::move(limit), std::move(offset), std::move(ties)),
                 std::move(info));
}
OperatorPtr make_distinct(OperatorPtr child, size_t ncols) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kDistinct;
  for (size_t i = 0; i < ncols; ++i) info.left_keys.push_back(i);
  return planned(std::make_unique<Distinct>(std::move(child), ncols), std::move(info));
}
namespace {
class FunctionRows final : public BufferedRows {
 public:
  std::string describe() const override { return "Function Scan on " + name_; }
  FunctionRows(uint32_t function, std::string name, std::vector<ExprPtr> args, std::vector<Column> cols)
      : function_(function), name_(std::move(name)), args_(std::move(args)) {
    columns = std::move(cols);
  }
  void do_open(ExecContext& ctx) override {
    Row empty;
    std::vector<Value> values;
    for (const auto& a : args_) values.push_back(a->eval(ctx.outer ? *ctx.outer : empty, ctx));
    rows_ = ctx.services->call_set_function(function_, values, ctx);
    pos_ = 0;
  }

 private:
  uint32_t function_;
  std::string name_;
  std::vector<ExprPtr> args_;
};
}  // namespace

OperatorPtr make_function_rows(uint32_t function, std::string name, std::vector<ExprPtr> args, std::vector<Column> columns) {
  return planned(std::make_unique<FunctionRows>(function, std::move(name), std::move(args), std::move(columns)), PlanInfo{});
}

OperatorPtr make_values(std::vector<std::vector<ExprPtr>> rows, std::vector<Column> columns) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kValues;
  info.count = rows.size();
  if (!rows.empty()) info.exprs = expr_pointers(rows[0]);
  return planned(std::make_unique<Values>(std::move(rows), std::move(columns)), std::move(info));
}
OperatorPtr make_nested_loop_join(OperatorPtr left, OperatorPtr right, ExprPtr condition, JoinType type) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kNestedLoop;
  info.predicate = condition.get();
  info.join = type;
  return planned(std::make_unique<NestedLoopJoin>(std::move(left), std::move(right), std::move(condition), type),
                 std::move(info));
}
OperatorPtr make_hash_join(OperatorPtr left, OperatorPtr right, std::vector<size_t> left_keys,
                           std::vector<size_t> right_keys, ExprPtr residual, JoinType type) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kHashJoin;
  info.left_keys = left_keys;
  info.right_keys = right_keys;
  info.predicate = residual.get();
  info.join = type;
  return planned(std::make_unique<HashJoin>(std::move(left), std::move(right), std::move(left_keys), std::move(right_keys),
                                            std::move(residual), type),
                 std::move(info));
}
OperatorPtr make_set_op(OperatorPtr left, OperatorPtr right, SetOpKind kind, bool all) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kSetOp;
  info.set_op = kind;
  info.all = all;
  return planned(std::make_unique<SetOp>(std::move(left), std::move(right), kind, all), std::move(info));
}
OperatorPtr make_series(ExprPtr start, ExprPtr stop, ExprPtr step, ExprPtr advance, ExprPtr up_in_range,
                        ExprPtr down_in_range, bool with_ordinality, std::vector<Column> columns) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kSeries;
  info.exprs = {start.get(), stop.get(), step.get()};
  return planned(std::make_unique<Series>(std::move(start), std::move(stop), std::move(step), std::move(advance),
                                          std::move(up_in_range), std::move(down_in_range), with_ordinality, std::move(columns)),
                 std::move(info));
}

OperatorPtr make_recursive_union(OperatorPtr base, OperatorPtr recursive, std::shared_ptr<std::vector<Row>> worktable,
                                 bool all, std::vector<Column> columns) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kRecursiveUnion;
  info.all = all;
  return planned(std::make_unique<RecursiveUnion>(std::move(base), std::move(recursive), std::move(worktable), all, std::move(columns)),
                 std::move(info));
}

OperatorPtr make_project_set(OperatorPtr child, std::vector<SetFunction> functions) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kProjectSet;
  for (const auto& f : functions) info.functions.emplace_back(static_cast<int>(f.kind), expr_pointers(f.args));
  return planned(std::make_unique<ProjectSet>(std::move(child), std::move(functions)), std::move(info));
}

OperatorPtr make_unnest(std::vector<ExprPtr> arrays, bool with_ordinality, std::vector<Column> columns, bool split_options) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kUnnest;
  info.exprs = expr_pointers(arrays);
  auto op = std::make_unique<Unnest>(std::move(arrays), with_ordinality, std::move(columns));
  op->split_options_ = split_options;
  return planned(std::move(op), std::move(info));
}

// LATERAL: the right side runs again for each left row, which its outer column references read
// (ctx.outer); cond filters the pairs; a left join keeps a left row with no pair, NULL-padded.
class LateralJoin final : public Operator {
 public:
  std::string describe() const override { return left_join_ ? "Nested Loop Left Join" : "Nested Loop"; }
  std::vector<const Operator*> inputs() const override { return {left_.get(), right_.get()}; }
  LateralJoin(OperatorPtr l, OperatorPtr r, ExprPtr cond, bool left_join)
      : left_(std::move(l)), right_(std::move(r)), cond_(std::move(cond)), left_join_(left_join) {
    columns = left_->columns;
    columns.insert(columns.end(), right_->columns.begin(), right_->columns.end());
  }
  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    left_->open(ctx);
    pending_.clear();
    pos_ = 0;
  }
  bool do_next(Row& row) override {
    while (pos_ >= pending_.size()) {
      pending_.clear();
      pos_ = 0;
      if (!left_->next(left_row_)) return false;
      {
        ExecContext::WithOuter with_outer(*ctx_, &left_row_);
        right_->open(*ctx_);
        Row r;
        while (right_->next(r)) {
          Row both = left_row_;
          both.insert(both.end(), r.begin(), r.end());
          if (!cond_ || is_true(cond_->eval(both, *ctx_))) pending_.push_back(std::move(both));
        }
        right_->close();
      }
      if (pending_.empty() && left_join_) {
        Row both = left_row_;
        Row nulls = null_row(right_->columns);
        both.insert(both.end(), nulls.begin(), nulls.end());
        pending_.push_back(std::move(both));
      }
    }
    row = std::move(pending_[pos_++]);
    return true;
  }
  void do_close() override { left_->close(); }

 private:
  OperatorPtr left_, right_;
  ExprPtr cond_;
  bool left_join_;
  ExecContext* ctx_ = nullptr;
  Row left_row_;
  std::vector<Row> pending_;
  size_t pos_ = 0;
};

OperatorPtr make_lateral_join(OperatorPtr left, OperatorPtr right, ExprPtr cond, bool left_join) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kLateralJoin;
  info.predicate = cond.get();
  info.join = left_join ? JoinType::kLeft : JoinType::kInner;
  return planned(std::make_unique<LateralJoin>(std::move(left), std::move(right), std::move(cond), left_join), std::move(info));
}

Operator::Timer::Timer(Stats& s) : s_(s), start_(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                  std::chrono::steady_clock::now().time_since_epoch()).count()) {}
int64_t Operator::Timer::elapsed() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count() -
         start_;
}
Operator::Timer::~Timer() { s_.total_ns += elapsed(); }

void Operator::instrument() const {
  if (!stats_) stats_ = std::make_unique<Stats>();
  for (const Operator* in : inputs()) in->instrument();
}

std::string format_estimate(const Estimate& e) {
  return fmt::format("  (cost={:.2f}..{:.2f} rows={:.0f} width={})", e.startup, e.total, e.rows, e.width);
}

std::vector<std::string> explain_lines(const Operator& root, bool analyze, bool timing, bool costs) {
  std::vector<std::string> out;
  // "(actual time=0.010..0.012 rows=3 loops=1)", per loop as PostgreSQL averages them.
  auto actual = [&](const Operator& op) -> std::string {
    const Operator::Stats* s = op.stats();
    if (!analyze || !s) return "";
    if (s->loops == 0) return " (never executed)";
    double loops = static_cast<double>(s->loops);
    std::string rows = fmt::format("rows={} loops={})", static_cast<uint64_t>(std::llround(static_cast<double>(s->rows) / loops)), s->loops);
    if (!timing) return " (actual " + rows;
    return fmt::format(" (actual time={:.3f}..{:.3f} ", static_cast<double>(s->first_ns) / loops / 1e6,
                       static_cast<double>(s->total_ns) / loops / 1e6) + rows;
  };
  auto figures = [&](const Operator& op) { return (costs ? format_estimate(op.estimate) : "") + actual(op); };
  // shown: the outermost of the nodes of no line of their own that stand over op, whose
  // estimate and figures are op's line's (PostgreSQL's scan node does its filter and projection).
  std::function<void(const Operator&, int, const Operator*)> walk = [&](const Operator& op, int depth, const Operator* shown) {
    std::string d = op.describe();
    if (d.empty()) {  // no node of its own: its input stands in its place
      for (const Operator* in : op.inputs()) walk(*in, depth, shown ? shown : &op);
      return;
    }
    auto line = [&](int at, const std::string& text) {
      out.push_back((at ? std::string(static_cast<size_t>(at - 1) * 6 + 2, ' ') + "->  " : "") + text);
    };
    line(depth, d + figures(shown ? *shown : op));
    auto in = op.inputs();
    bool hash_join = d.starts_with("Hash ") && d.ends_with("Join");
    for (size_t i = 0; i < in.size(); ++i) {
      if (hash_join && i == 1) {  // the side the hash table is built from, under its Hash node
        Estimate hash = in[i]->estimate;  // PostgreSQL's Hash node: all of its input before the first row
        hash.startup = hash.total;
        line(depth + 1, "Hash" + (costs ? format_estimate(hash) : "") + actual(*in[i]));
        walk(*in[i], depth + 2, nullptr);
      } else {
        walk(*in[i], depth + 1, nullptr);
      }
    }
  };
  walk(root, 0, nullptr);
  return out;
}

OperatorPtr make_distinct_on(OperatorPtr child, std::vector<size_t> cols) {
  class DistinctOn final : public Operator {
   public:
    std::string describe() const override { return "Unique"; }
    std::vector<const Operator*> inputs() const override { return {child_.get()}; }
    DistinctOn(OperatorPtr c, std::vector<size_t> k) : child_(std::move(c)), keys_(std::move(k)) { columns = child_->columns; }
    void do_open(ExecContext& ctx) override {
      child_->open(ctx);
      first_ = true;
    }
    bool do_next(Row& row) override {
      while (child_->next(row)) {
        Row key;
        for (size_t k : keys_) key.push_back(row[k]);
        std::string enc = row_key(key, key.size());
        if (!first_ && enc == last_) continue;
        first_ = false;
        last_ = std::move(enc);
        return true;
      }
      return false;
    }
    void do_close() override { child_->close(); }

   private:
    OperatorPtr child_;
    std::vector<size_t> keys_;
    std::string last_;
    bool first_ = true;
  };
  PlanInfo info;
  info.kind = PlanInfo::Kind::kUnique;
  info.left_keys = cols;
  return planned(std::make_unique<DistinctOn>(std::move(child), std::move(cols)), std::move(info));
}

OperatorPtr make_sequence_scan(uint32_t sequence_id, std::vector<Column> columns) {
  class SequenceScan final : public Operator {
   public:
    std::string describe() const override { return "Seq Scan on sequence"; }
    SequenceScan(uint32_t id, std::vector<Column> cols) : id_(id) { columns = std::move(cols); }
    void do_open(ExecContext& ctx) override {
      ctx_ = &ctx;
      done_ = false;
    }
    bool do_next(Row& row) override {
      if (done_) return false;
      done_ = true;
      row = ctx_->services->sequence_row(id_);
      return true;
    }

   private:
    uint32_t id_;
    ExecContext* ctx_ = nullptr;
    bool done_ = true;
  };
  PlanInfo info;
  info.kind = PlanInfo::Kind::kSequenceScan;
  return planned(std::make_unique<SequenceScan>(sequence_id, std::move(columns)), std::move(info));
}

OperatorPtr make_system_scan(const catalog::SystemView* view, std::vector<Column> columns) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kSystemScan;
  return planned(std::make_unique<SystemScan>(std::move(view), std::move(columns)), std::move(info));
}

OperatorPtr make_borrowed(const Operator& target) {
  class Borrowed final : public Operator {
   public:
    explicit Borrowed(const Operator& t) : target_(t) { columns = t.columns; }
    std::string describe() const override { return ""; }
    std::vector<const Operator*> inputs() const override { return {&target_}; }
    void do_open(ExecContext&) override { raise(sqlstate::kInternalError, "a plan estimated only was run"); }
    bool do_next(Row&) override { return false; }

   private:
    const Operator& target_;
  };
  auto op = std::make_unique<Borrowed>(target);
  op->plan.kind = PlanInfo::Kind::kBorrowed;
  return op;
}

OperatorPtr make_rows(std::shared_ptr<std::vector<Row>> rows, std::vector<Column> columns) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kRows;
  return planned(std::make_unique<RowsOp>(std::move(rows), std::move(columns)), std::move(info));
}

}  // namespace heliosdb::exec
