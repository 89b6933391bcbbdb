// PostgreSQL's cost model (costsize.c) for our plan nodes: the nodes over one input, set
// operations and leaves here; scans and joins in cost_model_access.cpp. A node's rows count the
// conditions applied in it and below: a filter or a join does not count again a condition a
// scan's key range or an index lookup already applied (the binder keeps the whole WHERE clause
// above the access path, which PostgreSQL would have removed).
#include "planner/cost_model.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "common/array.h"
#include "executor/functions.h"

namespace heliosdb::planner {

using exec::Expr;
using exec::Operator;
using exec::PlanInfo;
using Kind = exec::PlanInfo::Kind;

namespace {

// Whether e is made of constants only (PostgreSQL folds it before costing it).
bool constant_tree(const Expr* e) {
  if (dynamic_cast<const exec::ConstExpr*>(e)) return true;
  if (auto* c = dynamic_cast<const exec::CastExpr*>(e)) return constant_tree(c->arg.get());
  if (auto* f = dynamic_cast<const exec::FuncExpr*>(e))
    return !f->def->volatile_ && std::ranges::all_of(f->args, [](const auto& a) { return constant_tree(a.get()); });
  return false;
}

}  // namespace

double maxalign(double w) { return std::ceil(w / 8) * 8; }

double operator_count(const Expr* e);

// The operators of a list of expressions.
template <class Exprs>
double operator_count_of(const Exprs& exprs) {
  double n = 0;
  for (const auto& x : exprs) n += operator_count(x.get());
  return n;
}

// Operators and functions the expression calls: PostgreSQL charges cpu_operator_cost for each.
double operator_count(const Expr* e) {
  if (!e || constant_tree(e)) return 0;
  if (auto* f = dynamic_cast<const exec::FuncExpr*>(e)) return 1 + operator_count_of(f->args);
  if (auto* c = dynamic_cast<const exec::CastExpr*>(e)) return 1 + operator_count(c->arg.get());
  if (auto* b = dynamic_cast<const exec::BoolExpr*>(e)) return operator_count_of(b->args);
  if (auto* t = dynamic_cast<const exec::TestExpr*>(e)) return operator_count(t->arg.get());
  if (auto* in = dynamic_cast<const exec::InListExpr*>(e)) return operator_count_of(in->tests);
  if (auto* d = dynamic_cast<const exec::DistinctExpr*>(e)) return 1 + operator_count(d->left.get()) + operator_count(d->right.get());
  if (auto* c = dynamic_cast<const exec::CaseExpr*>(e))
    return operator_count(c->otherwise.get()) + operator_count_of(c->conds) + operator_count_of(c->results);
  if (auto* c = dynamic_cast<const exec::CoalesceExpr*>(e)) return operator_count_of(c->args);
  if (auto* a = dynamic_cast<const exec::ArrayAnyExpr*>(e)) return 1 + operator_count(a->lhs.get()) + operator_count(a->array.get());
  if (auto* u = dynamic_cast<const exec::UserFuncExpr*>(e)) return 100 + operator_count_of(u->args);  // procost 100
  if (dynamic_cast<const exec::SubqueryExpr*>(e)) return 1;
  return 0;
}

void conjuncts(const Expr* e, std::vector<const Expr*>& out) {
  if (!e) return;
  if (auto* b = dynamic_cast<const exec::BoolExpr*>(e); b && b->op == exec::BoolOp::kAnd) {
    for (const auto& a : b->args) conjuncts(a.get(), out);
    return;
  }
  out.push_back(e);
}


// A column by the table column it holds: "t<table>.<attnum>" ("" for a computed one).
std::string column_key(const std::vector<Column>& cols, size_t i) {
  if (i >= cols.size() || !cols[i].table_oid || cols[i].column_number <= 0) return "";
  return "t" + std::to_string(cols[i].table_oid) + "." + std::to_string(cols[i].column_number);
}
std::string column_key(const catalog::TableDef& t, size_t position) {
  return "t" + std::to_string(t.id) + "." + std::to_string(position + 1);
}

// A value side of a condition: an outer column by its position (a join's lookup), else the
// expression's structure.
std::string value_key(const Expr& e) {
  if (auto* o = dynamic_cast<const exec::OuterColumnExpr*>(&e); o && o->depth == 1) return "outer:" + std::to_string(o->index);
  return e.key();
}


// The ways a comparison of a column can be written ("<column> <op> <value>", both ways round
// for two columns); none for other conditions.
std::vector<std::string> clause_keys(const Expr& clause, const std::vector<Column>& cols) {
  auto* f = dynamic_cast<const exec::FuncExpr*>(&clause);
  if (!f || f->args.size() != 2) return {};
  const std::string& op = f->def->name;
  if (op != "=" && op != "<>" && op != "<" && op != "<=" && op != ">" && op != ">=") return {};
  auto column = [&](const Expr* e) -> std::string {
    auto* c = dynamic_cast<const exec::ColumnExpr*>(strip_int_cast(e));
    return c ? column_key(cols, c->index) : "";
  };
  std::string l = column(f->args[0].get()), r = column(f->args[1].get());
  std::vector<std::string> out;
  if (!l.empty() && !r.empty()) {
    out.push_back(l + " " + op + " col:" + r);
    out.push_back(r + " " + mirror_comparison(op) + " col:" + l);
  } else if (!l.empty() && row_independent(*f->args[1])) {
    out.push_back(l + " " + op + " " + value_key(*f->args[1]));
  } else if (!r.empty() && row_independent(*f->args[0])) {
    out.push_back(r + " " + mirror_comparison(op) + " " + value_key(*f->args[0]));
  }
  return out;
}

// Mackert and Lohman's estimate of the pages fetched to read `tuples` rows at random of a table
// of `pages` pages, with the cache PostgreSQL assumes (index_pages_fetched).
double pages_fetched(double tuples, double pages, double index_pages) {
  double T = pages > 1 ? pages : 1;
  double total = std::max(T + index_pages, 1.0);
  double b = kEffectiveCacheSize * T / total;
  b = b <= 1 ? 1 : std::ceil(b);
  double fetched;
  if (T <= b) {
    fetched = (2.0 * T * tuples) / (2.0 * T + tuples);
    return fetched >= T ? T : std::ceil(fetched);
  }
  double lim = (2.0 * T * b) / (2.0 * T - b);
  fetched = tuples <= lim ? (2.0 * T * tuples) / (2.0 * T + tuples) : b + (tuples - lim) * (T - b) / T;
  return std::ceil(fetched);
}

// B-tree height from its pages: about 300 entries a page above the leaves.
double tree_height(double pages) {
  double h = 0;
  for (double level = pages - 1; level > 1; level = std::ceil(level / 300)) ++h;
  return h;
}

double CostModel::new_selectivity(const Expr* clause, const std::vector<Column>& cols, Facts& f) {
  std::vector<const Expr*> parts, fresh;
  conjuncts(clause, parts);
  for (const Expr* c : parts) {
    auto keys = clause_keys(*c, cols);
    bool seen = std::ranges::any_of(keys, [&](const std::string& k) { return f.applied.count(k) > 0; });
    if (!seen) fresh.push_back(c);
    for (auto& k : keys) f.applied.insert(std::move(k));
  }
  double sel = stats_.clauselist_selectivity(fresh, cols, &f.rel_rows);
  // The tables a condition reads one column of keep that share of their rows.
  for (const Expr* c : fresh) {
    std::set<uint32_t> tables;
    std::function<void(const Expr*)> visit = [&](const Expr* e) {
      if (auto* col = dynamic_cast<const exec::ColumnExpr*>(e); col && col->index < cols.size() && cols[col->index].table_oid)
        tables.insert(cols[col->index].table_oid);
      else if (auto* fn = dynamic_cast<const exec::FuncExpr*>(e))
        for (const auto& a : fn->args) visit(a.get());
      else if (auto* cast = dynamic_cast<const exec::CastExpr*>(e))
        visit(cast->arg.get());
    };
    visit(c);
    if (tables.size() == 1)
      if (auto it = f.rel_rows.find(*tables.begin()); it != f.rel_rows.end())
        it->second = clamp_rows(it->second * stats_.clause_selectivity(*c, cols, &f.rel_rows));
  }
  return sel;
}

double CostModel::scalar_rows(const Expr* e) const {
  while (auto* c = dynamic_cast<const exec::CastExpr*>(e)) e = c->arg.get();
  if (!e) return -1;
  auto* k = dynamic_cast<const exec::ConstExpr*>(e);
  if (!k || k->value.is_null()) return -1;
  if (auto* i = std::get_if<int64_t>(&k->value.datum())) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&k->value.datum())) return *d;
  return -1;
}

void CostModel::run(const Operator& op, double loops, double sort_bound) {
  Facts& f = facts(&op);
  f = Facts{};
  const PlanInfo& p = op.plan;
  exec::Estimate& e = op.estimate;
  e = exec::Estimate{};
  auto in = op.inputs();
  switch (p.kind) {
    case Kind::kSeqScan:
    case Kind::kKeyScan:
    case Kind::kIndexScan:
      return scan(op, f, loops);
    case Kind::kHashJoin:
    case Kind::kNestedLoop:
    case Kind::kLateralJoin:
      return join(op, f, loops);
    case Kind::kBorrowed:  // exactly what it stands for
      run(*in[0], loops, sort_bound);
      f = facts(in[0]);
      e = in[0]->estimate;
      return;
    default:
      break;
  }
  // Nodes over one input pass their input's estimate on, changed.
  if (in.size() == 1) {
    double bound = p.kind == Kind::kProject ? sort_bound : -1;
    if (p.kind == Kind::kLimit) {
      double count = scalar_rows(p.exprs[0]), offset = p.exprs[1] ? scalar_rows(p.exprs[1]) : 0;
      if (count >= 0 && offset >= 0) bound = count + offset;
    }
    run(*in[0], loops, bound);
    const Facts& cf = facts(in[0]);
    f.applied = cf.applied;
    f.rel_rows = cf.rel_rows;
    f.widths = cf.widths;
    e = in[0]->estimate;
    double input_rows = e.rows;
    switch (p.kind) {
      case Kind::kFilter: {
        double sel = new_selectivity(p.predicate, in[0]->columns, f);
        e.total += input_rows * kCpuOperatorCost * operator_count(p.predicate);
        e.rows = clamp_rows(input_rows * sel);
        break;
      }
      case Kind::kProject: {
        std::vector<double> w;
        double ops = 0;
        for (size_t k = 0; k < p.exprs.size(); ++k) {
          Column out{"", p.exprs[k]->type, p.exprs[k]->typmod, 0, 0};
          w.push_back(expr_width(p.exprs[k], cf, k < op.columns.size() ? op.columns[k] : out));
          ops += operator_count(p.exprs[k]);
        }
        f.widths = std::move(w);
        e.total += input_rows * kCpuOperatorCost * ops;
        break;
      }
      case Kind::kSort: {
        // cost_tuplesort: quicksort in memory, a bounded heap under a LIMIT, else merge
        // passes over temporary files.
        double tuples = std::max(2.0, input_rows);
        double compare = 2.0 * kCpuOperatorCost;
        double row_bytes = maxalign(width_of(f)) + kTupleHeader;
        double input_bytes = tuples * row_bytes;
        double output = sort_bound > 0 && sort_bound < tuples ? sort_bound : tuples;
        double sort;
        if (output * row_bytes > kWorkMem) {
          double npages = std::ceil(input_bytes / kPageSize), nruns = input_bytes / kWorkMem, order = 15;
          double log_runs = nruns > order ? std::ceil(std::log(nruns) / std::log(order)) : 1.0;
          sort = compare * tuples * std::log2(tuples) + 2.0 * npages * log_runs * (kSeqPageCost * 0.75 + kRandomPageCost * 0.25);
        } else if (tuples > 2 * output || input_bytes > kWorkMem) {
          sort = compare * tuples * std::log2(2.0 * output);
        } else {
          sort = compare * tuples * std::log2(tuples);
        }
        e.startup = e.total + sort;
        e.total = e.startup + kCpuOperatorCost * tuples;
        break;
      }
      case Kind::kLimit: {
        double count = scalar_rows(p.exprs[0]), offset = p.exprs[1] ? scalar_rows(p.exprs[1]) : 0;
        if (p.exprs[1] && offset != 0) {
          double skip = offset > 0 ? offset : clamp_rows(input_rows * 0.10);
          skip = std::min(skip, e.rows);
          if (input_rows > 0) e.startup += (e.total - e.startup) * skip / input_rows;
          e.rows = std::max(1.0, e.rows - skip);
        }
        const Expr* limit = p.exprs[0];
        while (auto* c = dynamic_cast<const exec::CastExpr*>(limit)) limit = c->arg.get();
        auto* all = dynamic_cast<const exec::ConstExpr*>(limit);
        if (limit && !(all && all->value.is_null())) {  // LIMIT NULL / ALL: no limit
          double n = count >= 0 ? count : clamp_rows(input_rows * 0.10);
          n = std::min(n, e.rows);
          if (input_rows > 0) e.total = e.startup + (in[0]->estimate.total - in[0]->estimate.startup) * n / input_rows;
          e.rows = std::max(1.0, n);
        }
        break;
      }
      case Kind::kAggregate: {
        double aggs = static_cast<double>(p.count);
        double groups = 1;
        if (p.exprs.empty()) {
          e.startup = e.total + aggs * kCpuOperatorCost * input_rows;
          e.total = e.startup + kCpuTupleCost;
        } else {
          groups = stats_.num_groups(p.exprs, in[0]->columns, input_rows, &cf.rel_rows);
          e.startup = e.total + aggs * kCpuOperatorCost * input_rows +
                      kCpuOperatorCost * static_cast<double>(p.exprs.size()) * input_rows;
          e.total = e.startup + kCpuTupleCost * groups;
        }
        e.rows = groups;
        std::vector<double> w;
        for (size_t k = 0; k < op.columns.size(); ++k)
          w.push_back(k < p.exprs.size() ? expr_width(p.exprs[k], cf, op.columns[k])
                                         : type_width(op.columns[k].type_oid, op.columns[k].typmod));
        f.widths = std::move(w);
        f.applied.clear();
        break;
      }
      case Kind::kDistinct:
      case Kind::kUnique: {
        std::vector<exec::ColumnExpr> cols;
        for (size_t k : p.left_keys)
          cols.emplace_back(k, k < in[0]->columns.size() ? in[0]->columns[k].type_oid : 0, -1);
        std::vector<const Expr*> group;
        for (const auto& c : cols) group.push_back(&c);
        double groups = stats_.num_groups(group, in[0]->columns, input_rows, &cf.rel_rows);
        double keys = static_cast<double>(p.left_keys.size());
        if (p.kind == Kind::kDistinct) {
          e.startup = e.total + kCpuOperatorCost * keys * input_rows;
          e.total = e.startup + kCpuTupleCost * groups;
        } else {
          e.total += kCpuOperatorCost * keys * input_rows;
        }
        e.rows = groups;
        break;
      }
      case Kind::kWindow:
        e.startup = e.total;
        e.total += (kCpuOperatorCost * static_cast<double>(p.count + 1) + kCpuTupleCost) * input_rows;
        f.widths.resize(op.columns.size());
        for (size_t k = cf.widths.size(); k < op.columns.size(); ++k)
          f.widths[k] = type_width(op.columns[k].type_oid, op.columns[k].typmod);
        break;
      case Kind::kProjectSet: {
        double per_row = 1;
        for (const auto& [kind, args] : p.functions) {
          double n = 10;  // estimate_array_length of a value not known yet
          const auto* k0 = args.empty() ? nullptr : dynamic_cast<const exec::ConstExpr*>(args[0]);
          if (kind == 1) {  // kIntSeries
            double a = args.size() > 0 ? scalar_rows(args[0]) : -1, b = args.size() > 1 ? scalar_rows(args[1]) : -1;
            double step = args.size() > 2 ? scalar_rows(args[2]) : 1;
            n = args.size() >= 2 && dynamic_cast<const exec::ConstExpr*>(args[0]) && dynamic_cast<const exec::ConstExpr*>(args[1]) &&
                        step != 0
                    ? std::max(0.0, std::floor((b - a) / step) + 1)
                    : 1000;
          } else if (k0 && !k0->value.is_null() && array::is_array(k0->value.type())) {
            n = static_cast<double>(array::decode(k0->value).items.size());
          } else if (auto* arr = args.empty() ? nullptr : dynamic_cast<const exec::ArrayExpr*>(args[0])) {
            n = static_cast<double>(arr->items.size());
          }
          per_row = std::max(per_row, n);
        }
        e.total += input_rows * kCpuOperatorCost * static_cast<double>(p.functions.size()) + input_rows * per_row * kCpuTupleCost;
        e.rows = clamp_rows(input_rows * per_row);
        f.widths = type_widths(op);
        break;
      }
      case Kind::kLockRows:
        e.total += kCpuTupleCost * input_rows;
        break;
      default:
        e.total += kCpuTupleCost * input_rows;
        if (f.widths.size() != op.columns.size()) f.widths = type_widths(op);
        break;
    }
    e.width = static_cast<int>(width_of(f));
    return;
  }
  if (in.size() == 2) {
    // Set operations and recursive unions.
    const Operator& l = *in[0];
    const Operator& r = *in[1];
    run(l, loops);
    if (p.kind == Kind::kRecursiveUnion) {
      double saved = std::exchange(worktable_rows_, 10 * l.estimate.rows);
      run(r, loops);
      worktable_rows_ = saved;
    } else {
      run(r, loops);
    }
    f.widths = facts(&l).widths;
    const exec::Estimate& a = l.estimate;
    const exec::Estimate& b = r.estimate;
    double cols = static_cast<double>(op.columns.size());
    if (p.kind == Kind::kRecursiveUnion) {
      e.startup = a.startup;
      e.rows = clamp_rows(a.rows + 10 * b.rows);
      e.total = a.total + 10 * b.total + kCpuTupleCost * e.rows;
    } else if (p.set_op == exec::SetOpKind::kUnion && p.all) {  // Append
      e.startup = a.startup;
      e.rows = clamp_rows(a.rows + b.rows);
      e.total = a.total + b.total + kCpuTupleCost * 0.5 * e.rows;
    } else {
      // Hashed: every input row hashed, each group (as many as rows, the worst case PostgreSQL
      // takes) returned once.
      double groups = p.set_op == exec::SetOpKind::kUnion ? a.rows + b.rows
                      : p.set_op == exec::SetOpKind::kExcept ? a.rows
                                                             : std::min(a.rows, b.rows);
      e.startup = a.total + b.total + kCpuOperatorCost * cols * (a.rows + b.rows);
      e.rows = clamp_rows(groups);
      e.total = e.startup + kCpuTupleCost * e.rows;
    }
    e.width = static_cast<int>(width_of(f));
    return;
  }
  // Leaves.
  f.widths = type_widths(op);
  switch (p.kind) {
    case Kind::kValues:
      if (op.columns.empty()) {  // INSERT's rows: of its values' types
        f.widths.clear();
        for (const Expr* x : p.exprs) f.widths.push_back(type_width(x->type, x->typmod));
      }
      if (p.count == 1) {  // PostgreSQL's Result
        e.rows = 1;
        e.total = kCpuTupleCost;
      } else {
        e.rows = clamp_rows(static_cast<double>(p.count));
        e.total = e.rows * (kCpuOperatorCost + kCpuTupleCost);
      }
      break;
    case Kind::kSeries: {
      // generate_series of constants: exactly its count (PostgreSQL's support function).
      double a = scalar_rows(p.exprs[0]), b = scalar_rows(p.exprs[1]), step = p.exprs[2] ? scalar_rows(p.exprs[2]) : 1;
      bool known = dynamic_cast<const exec::ConstExpr*>(p.exprs[0]) && dynamic_cast<const exec::ConstExpr*>(p.exprs[1]) &&
                   step != 0 && types::is_integer(op.columns[0].type_oid);
      e.rows = known ? clamp_rows(std::max(0.0, std::floor((b - a) / step) + 1)) : 1000;
      e.startup = kCpuOperatorCost;
      e.total = e.startup + e.rows * kCpuTupleCost;
      break;
    }
    case Kind::kUnnest: {
      double n = 10;
      for (const Expr* x : p.exprs) {
        if (auto* k = dynamic_cast<const exec::ConstExpr*>(x); k && !k->value.is_null() && array::is_array(k->value.type()))
          n = std::max(n == 10 ? 0.0 : n, static_cast<double>(array::decode(k->value).items.size()));
        else if (auto* arr = dynamic_cast<const exec::ArrayExpr*>(x))
          n = std::max(n == 10 ? 0.0 : n, static_cast<double>(arr->items.size()));
      }
      e.rows = clamp_rows(n);
      e.startup = kCpuOperatorCost;
      e.total = e.startup + e.rows * kCpuTupleCost;
      break;
    }
    case Kind::kSequenceScan:
      e.rows = 1;
      e.total = kSeqPageCost + kCpuTupleCost;
      break;
    case Kind::kRows:
      e.rows = worktable_rows_ >= 0 ? clamp_rows(worktable_rows_) : 1000;
      e.total = e.rows * kCpuTupleCost;
      break;
    case Kind::kSystemScan: {
      // A catalog: as a table never analyzed, 10 pages of its rows.
      double width = 0;
      for (double w : f.widths) width += w;
      e.rows = std::floor((kPageSize - 24) / (width + 28)) * 10;
      e.total = 10 * kSeqPageCost + e.rows * kCpuTupleCost;
      break;
    }
    default:
      e.rows = 1000;  // a function's rows, PostgreSQL's prorows
      e.total = e.rows * kCpuTupleCost;
      break;
  }
  e.width = static_cast<int>(width_of(f));
}

double index_pages(const catalog::Catalog& catalog, const catalog::TableDef& t, const catalog::IndexDef& index,
                   double tuples) {
  Statistics stats(catalog);
  double key = 0;
  for (uint32_t id : index.columns) {
    int i = t.column_index_by_id(id);
    key += i >= 0 ? stats.column_width(t, t.columns[static_cast<size_t>(i)]) : 32;
  }
  double entry = maxalign(key + 8) + 4;  // IndexTupleData, the key, and its line pointer
  return std::ceil(tuples * entry / ((kPageSize - 24 - 16) * 0.9)) + 1;
}

double qual_cost(const exec::Expr* condition) { return kCpuOperatorCost * operator_count(condition); }

void estimate(const catalog::Catalog& catalog, const exec::Operator& root) { CostModel(catalog).run(root); }

}  // namespace heliosdb::planner
