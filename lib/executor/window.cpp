// Window functions: the input is materialised, each function sorts it by its PARTITION BY and
// ORDER BY and fills its column partition by partition.
#include <algorithm>
#include <numeric>

#include "common/errors.h"
#include "executor/functions.h"
#include "executor/operator.h"

namespace heliosdb::exec {
namespace {

class Window final : public Operator {
 public:
  std::string describe() const override { return "WindowAgg"; }
  std::vector<const Operator*> inputs() const override { return {child_.get()}; }
  Window(OperatorPtr child, std::vector<WindowFunction> fns) : child_(std::move(child)), fns_(std::move(fns)) {
    columns = child_->columns;
    for (const auto& f : fns_) columns.push_back({f.name, f.type, -1, 0, 0});
  }

  void do_open(ExecContext& ctx) override {
    ctx_ = &ctx;
    rows_.clear();
    pos_ = 0;
    child_->open(ctx);
    Row r;
    while (child_->next(r)) rows_.push_back(std::move(r));
    child_->close();
    size_t width = child_->columns.size();
    for (auto& row : rows_) row.resize(width + fns_.size());
    order_.resize(rows_.size());
    for (size_t f = 0; f < fns_.size(); ++f) compute(f, width + f);
    // Rows come out in the last function's order, as PostgreSQL's last WindowAgg leaves them.
  }

  bool do_next(Row& row) override {
    if (pos_ >= order_.size()) return false;
    row = std::move(rows_[order_[pos_++]]);
    return true;
  }
  void do_close() override { rows_.clear(); }

 private:
  struct Keys {
    Row partition, order;
  };

  static int compare_keys(const Row& a, const Row& b, const std::vector<AggDef::Order>* dirs) {
    for (size_t k = 0; k < a.size(); ++k) {
      const Value &x = a[k], &y = b[k];
      bool desc = dirs && (*dirs)[k].descending, nulls_first = dirs ? (*dirs)[k].nulls_first : false;
      if (x.is_null() || y.is_null()) {
        if (x.is_null() && y.is_null()) continue;
        return x.is_null() == nulls_first ? -1 : 1;
      }
      int c = compare_values(x, y);
      if (c) return desc ? -c : c;
    }
    return 0;
  }

  void compute(size_t f, size_t col) {
    WindowFunction& fn = fns_[f];
    std::vector<Keys> keys(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) {
      for (const auto& p : fn.partition) keys[i].partition.push_back(p->eval(rows_[i], *ctx_));
      for (const auto& o : fn.order) keys[i].order.push_back(o.expr->eval(rows_[i], *ctx_));
    }
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(), [&](size_t a, size_t b) {
      if (int c = compare_keys(keys[a].partition, keys[b].partition, nullptr)) return c < 0;
      return compare_keys(keys[a].order, keys[b].order, &fn.order) < 0;
    });
    for (size_t start = 0; start < order_.size();) {
      size_t end = start + 1;
      while (end < order_.size() && compare_keys(keys[order_[start]].partition, keys[order_[end]].partition, nullptr) == 0) ++end;
      partition(fn, col, keys, start, end);
      start = end;
    }
  }

  // PostgreSQL's frameOptions bits.
  enum : int {
    kRows = 0x4, kStartUnboundedPreceding = 0x20, kEndUnboundedFollowing = 0x100, kStartCurrentRow = 0x200,
    kEndCurrentRow = 0x400, kStartOffsetPreceding = 0x800, kEndOffsetPreceding = 0x1000, kStartOffsetFollowing = 0x2000,
    kEndOffsetFollowing = 0x4000,
  };

  // One partition: order_[start, end).
  void partition(WindowFunction& fn, size_t col, const std::vector<Keys>& keys, size_t start, size_t end) {
    const std::string& n = fn.name;
    size_t count = end - start;
    auto peer_end = [&](size_t i) {  // one past the last row with i's ORDER BY values
      size_t j = i + 1;
      if (fn.order.empty()) return end;
      while (j < end && compare_keys(keys[order_[i]].order, keys[order_[j]].order, &fn.order) == 0) ++j;
      return j;
    };
    auto peer_start = [&](size_t i) {  // the first row with i's ORDER BY values
      size_t j = i;
      if (fn.order.empty()) return start;
      while (j > start && compare_keys(keys[order_[j - 1]].order, keys[order_[i]].order, &fn.order) == 0) --j;
      return j;
    };
    auto arg = [&](size_t k, size_t row) { return fn.args[k]->eval(rows_[order_[row]], *ctx_); };
    const int fo = fn.frame_options;
    // The frame of row i: [first, last) of the partition's positions.
    auto frame = [&](size_t i) {
      auto clamp = [&](int64_t p) { return static_cast<size_t>(std::clamp<int64_t>(p, int64_t(start), int64_t(end))); };
      auto pos = static_cast<int64_t>(i);
      size_t first = start, last = end;
      if (fo & kStartCurrentRow) first = (fo & kRows) ? i : peer_start(i);
      else if (fo & kStartOffsetPreceding) first = clamp(pos - fn.start_offset);
      else if (fo & kStartOffsetFollowing) first = clamp(pos + fn.start_offset);
      if (fo & kEndCurrentRow) last = (fo & kRows) ? i + 1 : peer_end(i);
      else if (fo & kEndOffsetPreceding) last = clamp(pos - fn.end_offset + 1);
      else if (fo & kEndOffsetFollowing) last = clamp(pos + fn.end_offset + 1);
      return std::pair{first, std::max(first, last)};
    };
    bool default_frame = fo == 1058 || ((fo & ~0x13) == (kStartUnboundedPreceding | kEndCurrentRow) && !(fo & kRows));
    if (fn.aggregate && !default_frame) {
      // Frames that start at the partition's start grow: add as the end moves on; others are
      // summed again for each row.
      bool growing = fo & kStartUnboundedPreceding;
      fn.aggregate->reset();
      size_t added = start;
      for (size_t i = start; i < end; ++i) {
        auto [first, last] = frame(i);
        if (!growing) {
          fn.aggregate->reset();
          added = first;
        }
        for (; added < last; ++added) fn.aggregate->add(rows_[order_[added]], *ctx_);
        rows_[order_[i]][col] = fn.aggregate->value(*ctx_);
      }
      return;
    }
    if (fn.aggregate) {
      fn.aggregate->reset();
      for (size_t i = start; i < end;) {
        size_t pe = peer_end(i);
        for (size_t j = i; j < pe; ++j) fn.aggregate->add(rows_[order_[j]], *ctx_);
        Value v = fn.aggregate->value(*ctx_);
        for (size_t j = i; j < pe; ++j) rows_[order_[j]][col] = v;
        i = pe;
      }
      return;
    }
    int64_t rank = 1, dense = 0;
    for (size_t i = start; i < end;) {
      size_t pe = peer_end(i);
      ++dense;
      for (size_t j = i; j < pe; ++j) {
        size_t pos = j - start;  // 0-based row number in the partition
        Value v;
        if (n == "row_number") v = Value::int8(static_cast<int64_t>(pos + 1));
        else if (n == "rank") v = Value::int8(rank);
        else if (n == "dense_rank") v = Value::int8(dense);
        else if (n == "percent_rank") v = Value::float8(count > 1 ? static_cast<double>(rank - 1) / static_cast<double>(count - 1) : 0);
        else if (n == "cume_dist") v = Value::float8(static_cast<double>(pe - start) / static_cast<double>(count));
        else if (n == "ntile") {
          Value b = arg(0, j);
          if (b.is_null()) v = Value::null(oid::kInt4);
          else {
            int64_t buckets = b.as_int();
            if (buckets <= 0) raise(sqlstate::kInvalidArgumentForNtile, "argument of ntile must be greater than zero");
            // The first (count % buckets) buckets hold one row more.
            int64_t per = static_cast<int64_t>(count) / buckets, extra = static_cast<int64_t>(count) % buckets;
            int64_t p = static_cast<int64_t>(pos), bucket;
            if (p < extra * (per + 1)) bucket = p / (per + 1);
            else bucket = extra + (per ? (p - extra * (per + 1)) / per : 0);
            v = Value::int4(static_cast<int32_t>(bucket + 1));
          }
        } else if (n == "lag" || n == "lead") {
          int64_t offset = 1;
          if (fn.args.size() > 1) {
            Value o = arg(1, j);
            if (o.is_null()) {
              rows_[order_[j]][col] = Value::null(fn.type);
              continue;
            }
            offset = o.as_int();
          }
          int64_t target = static_cast<int64_t>(pos) + (n == "lag" ? -offset : offset);
          if (target >= 0 && target < static_cast<int64_t>(count)) v = arg(0, start + static_cast<size_t>(target));
          else v = fn.args.size() > 2 ? arg(2, j) : Value::null(fn.type);
        } else if (n == "first_value" || n == "last_value" || n == "nth_value") {
          auto [first, last] = frame(j);
          if (n == "first_value") {
            v = first < last ? arg(0, first) : Value::null(fn.type);
          } else if (n == "last_value") {
            v = first < last ? arg(0, last - 1) : Value::null(fn.type);
          } else {
            Value k = arg(1, j);
            if (k.is_null()) v = Value::null(fn.type);
            else {
              if (k.as_int() <= 0) raise(sqlstate::kInvalidArgumentForNthValue, "argument of nth_value must be greater than zero");
              size_t at = first + static_cast<size_t>(k.as_int() - 1);
              v = at < last ? arg(0, at) : Value::null(fn.type);
            }
          }
        }
        if (!v.is_null() && v.type() != fn.type) v = cast_value(v, fn.type, -1, false, *ctx_);
        rows_[order_[j]][col] = v.is_null() ? Value::null(fn.type) : v;
      }
      rank += static_cast<int64_t>(pe - i);
      i = pe;
    }
  }

  OperatorPtr child_;
  std::vector<WindowFunction> fns_;
  ExecContext* ctx_ = nullptr;
  std::vector<Row> rows_;
  std::vector<size_t> order_;
  size_t pos_ = 0;
};

}  // namespace

OperatorPtr make_window(OperatorPtr child, std::vector<WindowFunction> functions) {
  PlanInfo info;
  info.kind = PlanInfo::Kind::kWindow;
  info.count = functions.size();
  OperatorPtr op = std::make_unique<Window>(std::move(child), std::move(functions));
  op->plan = std::move(info);
  return op;
}

}  // namespace heliosdb::exec
