// PostgreSQL's restriction and join selectivity (selfuncs.c, clausesel.c) and relation size
// estimate (plancat.c's estimate_rel_size), over the statistics ANALYZE keeps.
#include "planner/selectivity.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/array.h"
#include "common/types.h"
#include "executor/functions.h"
#include "executor/like.h"

namespace heliosdb::planner {
namespace {

double clamp_probability(double p) { return p < 0 ? 0 : p > 1 ? 1 : p; }

bool is_int(uint32_t t) { return types::is_integer(t); }


// A value fixed before the query runs: a constant (through casts the binder kept).
const Value* constant_of(const exec::Expr& e) {
  if (auto* c = dynamic_cast<const exec::ConstExpr*>(&e)) return &c->value;
  if (auto* c = dynamic_cast<const exec::CastExpr*>(&e)) return constant_of(*c->arg);
  return nullptr;
}


// A value on one numeric scale for interpolating within a histogram bucket
// (convert_to_scalar's numeric and date/time cases).
std::optional<double> scalar_of(const Value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.type() == oid::kNumeric) {
    try {
      return std::stod(v.as_string());
    } catch (...) {
      return std::nullopt;
    }
  }
  const auto& d = v.datum();
  if (auto* i = std::get_if<int64_t>(&d)) return static_cast<double>(*i);
  if (auto* x = std::get_if<double>(&d)) return *x;
  if (auto* b = std::get_if<bool>(&d)) return *b ? 1.0 : 0.0;
  if (auto* iv = std::get_if<Interval>(&d))
    return static_cast<double>(iv->micros) + (static_cast<double>(iv->months) * 30 + iv->days) * 86400e6;
  return std::nullopt;
}

bool text_like(uint32_t t) {
  return t == oid::kText || t == oid::kVarchar || t == oid::kBpchar || t == oid::kName || t == oid::kUnknownType;
}

// a vs b (<0, 0, >0) when they can be compared here: values of one type, numbers of any
// numeric types, or strings.
std::optional<int> compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  auto numeric = [](uint32_t t) { return is_int(t) || t == oid::kFloat4 || t == oid::kFloat8 || t == oid::kNumeric; };
  if (a.datum().index() == b.datum().index()) {
    bool floats = (a.type() == oid::kFloat4 || a.type() == oid::kFloat8) && (b.type() == oid::kFloat4 || b.type() == oid::kFloat8);
    if (a.type() == b.type() || (is_int(a.type()) && is_int(b.type())) || (text_like(a.type()) && text_like(b.type())) || floats)
      return exec::compare_values(a, b);
  }
  if (numeric(a.type()) && numeric(b.type())) {
    auto x = scalar_of(a), y = scalar_of(b);
    if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  }
  return std::nullopt;
}

// convert_string_to_scalar: a string as a fraction on the scale of the characters the two
// bounds use, after the prefix all three share.
void string_scalars(std::string_view value, std::string_view lo, std::string_view hi, double& v, double& l, double& h) {
  unsigned char rangelo = 255, rangehi = 0;
  for (std::string_view s : {lo, hi})
    for (unsigned char c : s) {
      rangelo = std::min(rangelo, c);
      rangehi = std::max(rangehi, c);
    }
  if (rangelo > rangehi) rangelo = rangehi = 'a';
  // Whole classes of characters, as the bounds suggest them.
  if (rangelo <= 'Z' && rangehi >= 'A') {
    rangelo = std::min<unsigned char>(rangelo, 'A');
    rangehi = std::max<unsigned char>(rangehi, 'Z');
  }
  if (rangelo <= 'z' && rangehi >= 'a') {
    rangelo = std::min<unsigned char>(rangelo, 'a');
    rangehi = std::max<unsigned char>(rangehi, 'z');
  }
  if (rangelo <= '9' && rangehi >= '0') {
    rangelo = std::min<unsigned char>(rangelo, '0');
    rangehi = std::max<unsigned char>(rangehi, '9');
  }
  size_t common = 0;
  while (common < value.size() && common < lo.size() && common < hi.size() && value[common] == lo[common] &&
         lo[common] == hi[common])
    ++common;
  auto convert = [&](std::string_view s) {
    s.remove_prefix(std::min(common, s.size()));
    if (s.size() > 12) s = s.substr(0, 12);
    double base = rangehi - rangelo + 1, num = 0, denom = base;
    for (unsigned char c : s) {
      int ch = c < rangelo ? rangelo - 1 : c > rangehi ? rangehi + 1 : c;
      num += (ch - rangelo) / denom;
      denom *= base;
    }
    return num;
  };
  v = convert(value);
  l = convert(lo);
  h = convert(hi);
}




}  // namespace

bool row_independent(const exec::Expr& e) {
  if (dynamic_cast<const exec::ConstExpr*>(&e) || dynamic_cast<const exec::ParamExpr*>(&e) ||
      dynamic_cast<const exec::OuterColumnExpr*>(&e))
    return true;
  if (auto* c = dynamic_cast<const exec::CastExpr*>(&e)) return row_independent(*c->arg);
  if (auto* f = dynamic_cast<const exec::FuncExpr*>(&e)) {
    if (f->def->volatile_) return false;
    return std::ranges::all_of(f->args, [](const auto& a) { return row_independent(*a); });
  }
  return false;
}


double range_selectivity(double lo, double hi, double null_frac) {
  // A default estimate on either side means nothing is known of the range.
  if (hi == kDefaultIneqSel || lo == kDefaultIneqSel) return kDefaultRangeIneqSel;
  double s = hi + lo - 1.0 + null_frac;
  if (s <= 0) s = s < -0.01 ? kDefaultRangeIneqSel : 1.0e-10;
  return s;
}

const exec::Expr* strip_int_cast(const exec::Expr* e) {
  if (auto* c = dynamic_cast<const exec::CastExpr*>(e); c && is_int(c->type) && is_int(c->arg->type)) return c->arg.get();
  return e;
}

std::string mirror_comparison(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

double clamp_rows(double rows) { return rows <= 1.0 ? 1.0 : std::rint(rows); }

double null_fraction(const ColumnRef& c) { return c.stats ? c.stats->null_frac : 0.0; }



std::optional<ColumnRef> Statistics::examine(const exec::Expr& e, const std::vector<Column>& columns,
                                             const std::map<uint32_t, double>* rel_rows) {
  auto* col = dynamic_cast<const exec::ColumnExpr*>(strip_int_cast(&e));
  if (!col || col->index >= columns.size()) return std::nullopt;
  const Column& c = columns[col->index];
  if (!c.table_oid || c.column_number <= 0) return std::nullopt;
  auto t = catalog_.table(c.table_oid);
  if (!t || static_cast<size_t>(c.column_number) > t->columns.size()) return std::nullopt;
  ColumnRef ref;
  ref.table = t.get();
  ref.column = &t->columns[static_cast<size_t>(c.column_number - 1)];
  if (ref.column->type != c.type_oid) return std::nullopt;  // not the stored column's values
  if (auto st = catalog_.statistics(t->id)) {
    auto it = st->columns.find(ref.column->id);
    if (it != st->columns.end() && it->second.type == ref.column->type) ref.stats = &it->second;
  }
  ref.tuples = relation(*t).tuples;
  ref.rows = ref.tuples;
  if (rel_rows)
    if (auto it = rel_rows->find(t->id); it != rel_rows->end()) ref.rows = std::min(ref.tuples, it->second);
  uint32_t id = ref.column->id;
  ref.unique = t->primary_key.size() == 1 && t->primary_key[0] == id;
  for (uint32_t iid : t->indexes)
    if (auto ix = catalog_.index(iid); ix && ix->unique && ix->plain() && ix->columns.size() == 1 && ix->columns[0] == id)
      ref.unique = true;
  return ref;
}

double Statistics::num_distinct(const ColumnRef& c, bool* is_default) {
  if (is_default) *is_default = false;
  double stadistinct = 0, stanullfrac = 0;
  if (c.stats) {
    stadistinct = c.stats->n_distinct;
    stanullfrac = c.stats->null_frac;
  } else if (c.column->type == oid::kBool) {
    stadistinct = 2;
  }
  // A unique column has as many values as rows, whatever the statistics say.
  if (c.unique) stadistinct = -1.0 * (1.0 - stanullfrac);
  if (stadistinct > 0) return clamp_rows(stadistinct);
  double ntuples = c.tuples;
  if (ntuples <= 0) {
    if (is_default) *is_default = true;
    return kDefaultNumDistinct;
  }
  if (stadistinct < 0) return clamp_rows(-stadistinct * ntuples);
  if (ntuples < kDefaultNumDistinct) return clamp_rows(ntuples);
  if (is_default) *is_default = true;
  return kDefaultNumDistinct;
}

double Statistics::eq_const(const ColumnRef& c, const Value& v) {
  if (v.is_null()) return 0;
  if (c.unique && c.tuples >= 1) return 1.0 / c.tuples;
  double selec;
  if (c.stats) {
    const auto& s = *c.stats;
    std::optional<size_t> match;
    bool comparable = true;
    for (size_t i = 0; i < s.most_common_vals.size() && !match; ++i) {
      auto r = compare(s.most_common_vals[i], v);
      if (!r) comparable = false;
      else if (*r == 0) match = i;
    }
    if (match) {
      selec = s.most_common_freqs[*match];
    } else {
      double sumcommon = 0;
      for (float f : s.most_common_freqs) sumcommon += f;
      selec = clamp_probability(1.0 - sumcommon - s.null_frac);
      double otherdistinct = num_distinct(c) - static_cast<double>(s.most_common_freqs.size());
      if (otherdistinct > 1) selec /= otherdistinct;
      if (comparable && !s.most_common_freqs.empty() && selec > s.most_common_freqs.back()) selec = s.most_common_freqs.back();
    }
  } else {
    selec = 1.0 / num_distinct(c);
  }
  return clamp_probability(selec);
}

double Statistics::eq_non_const(const ColumnRef& c) {
  if (c.unique && c.tuples >= 1) return 1.0 / c.tuples;
  if (!c.stats) return clamp_probability(1.0 / num_distinct(c));
  double selec = 1.0 - c.stats->null_frac;
  double nd = num_distinct(c);
  if (nd > 1) selec /= nd;
  if (!c.stats->most_common_freqs.empty() && selec > c.stats->most_common_freqs[0]) selec = c.stats->most_common_freqs[0];
  return clamp_probability(selec);
}

// scalarineqsel: the most common values that satisfy it, plus the histogram's share of the rest.
double Statistics::ineq_const(const ColumnRef& c, bool greater, bool equal, const Value& v) {
  if (!c.stats) return kDefaultIneqSel;
  if (v.is_null()) return 0;
  const auto& s = *c.stats;
  auto holds = [&](const Value& x) -> std::optional<bool> {
    auto r = compare(x, v);
    if (!r) return std::nullopt;
    return greater ? (equal ? *r >= 0 : *r > 0) : (equal ? *r <= 0 : *r < 0);
  };
  double mcv_selec = 0, sumcommon = 0;
  for (size_t i = 0; i < s.most_common_vals.size(); ++i) {
    auto h = holds(s.most_common_vals[i]);
    if (!h) return kDefaultIneqSel;
    if (*h) mcv_selec += s.most_common_freqs[i];
    sumcommon += s.most_common_freqs[i];
  }
  double hist_selec = -1;
  const auto& hist = s.histogram_bounds;
  if (hist.size() > 1) {
    size_t lo = 0, hi = hist.size();
    while (lo < hi) {
      size_t probe = (lo + hi) / 2;
      auto h = holds(hist[probe]);
      if (!h) return kDefaultIneqSel;
      bool ltcmp = greater ? !*h : *h;
      if (ltcmp) lo = probe + 1;
      else hi = probe;
    }
    double histfrac;
    auto n = static_cast<double>(hist.size());
    if (lo == 0) {
      histfrac = 0;
    } else if (lo >= hist.size()) {
      histfrac = 1;
    } else {
      size_t i = lo;
      double eq_selec = 0;
      if (i == 1 || greater == equal) {
        double otherdistinct = num_distinct(c) - static_cast<double>(s.most_common_freqs.size());
        if (otherdistinct > 1) eq_selec = 1.0 / otherdistinct;
      }
      double binfrac = 0.5, val, low, high;
      auto a = scalar_of(v), l = scalar_of(hist[i - 1]), h = scalar_of(hist[i]);
      bool converted = a && l && h;
      if (converted) {
        val = *a;
        low = *l;
        high = *h;
      } else if (std::holds_alternative<std::string>(v.datum()) && std::holds_alternative<std::string>(hist[i].datum()) &&
                 text_like(v.type())) {
        string_scalars(v.as_string(), hist[i - 1].as_string(), hist[i].as_string(), val, low, high);
        converted = true;
      }
      if (converted) {
        if (high <= low) binfrac = 0.5;
        else if (val <= low) binfrac = 0;
        else if (val >= high) binfrac = 1;
        else {
          binfrac = (val - low) / (high - low);
          if (std::isnan(binfrac) || binfrac < 0 || binfrac > 1) binfrac = 0.5;
        }
      }
      histfrac = (static_cast<double>(i - 1) + binfrac) / (n - 1);
      if (i == 1) histfrac += eq_selec * (1.0 - binfrac);
      if (greater == equal) histfrac -= eq_selec;
    }
    hist_selec = greater ? 1.0 - histfrac : histfrac;
    double cutoff = 0.01 / (n - 1);
    hist_selec = std::clamp(hist_selec, cutoff, 1.0 - cutoff);
  }
  double selec = 1.0 - s.null_frac - sumcommon;
  selec *= hist_selec >= 0 ? hist_selec : 0.5;
  return clamp_probability(selec + mcv_selec);
}

// LIKE / ILIKE against a constant pattern (patternsel): a pattern without wildcards is an
// equality; otherwise the most common values and the histogram are matched against it.
double Statistics::like_selectivity(const ColumnRef& c, const exec::FuncExpr& f, const Value& pattern) {
  const std::string& op = f.def->name;
  bool negate = op[0] == '!';
  bool icase = op.find('*') != std::string::npos;
  if (pattern.is_null()) return 0;
  double nullfrac = null_fraction(c);
  double result;
  const std::string& p = pattern.as_string();
  if (!icase && p.find_first_of("%_\\") == std::string::npos) {
    result = eq_const(c, Value::text(p));
  } else if (!c.stats || !std::holds_alternative<std::string>(pattern.datum())) {
    result = kDefaultMatchSel;
  } else {
    auto matches = [&](const Value& v) {
      return std::holds_alternative<std::string>(v.datum()) && exec::like_match(v.as_string(), p, icase, '\\');
    };
    const auto& s = *c.stats;
    double selec = -1;
    size_t hist_size = s.histogram_bounds.size();
    if (hist_size >= 10) {
      size_t n = 0;
      for (size_t i = 1; i + 1 < hist_size; ++i) n += matches(s.histogram_bounds[i]);
      selec = static_cast<double>(n) / static_cast<double>(hist_size - 2);
      if (hist_size < 100) {
        double weight = static_cast<double>(hist_size) / 100.0;
        selec = selec * weight + kDefaultMatchSel * (1.0 - weight);
      }
    }
    if (selec < 0) selec = kDefaultMatchSel;
    selec = std::clamp(selec, 0.0001, 0.9999);
    double mcv_selec = 0, sumcommon = 0;
    for (size_t i = 0; i < s.most_common_vals.size(); ++i) {
      if (matches(s.most_common_vals[i])) mcv_selec += s.most_common_freqs[i];
      sumcommon += s.most_common_freqs[i];
    }
    result = selec * (1.0 - nullfrac - sumcommon) + mcv_selec;
  }
  if (negate) result = 1.0 - result - nullfrac;
  return clamp_probability(result);
}

double Statistics::compare_selectivity(const ColumnRef& c, const std::string& op, const exec::Expr& value) {
  const Value* v = constant_of(value);
  if (op == "=" || op == "<>") {
    double eq = v ? eq_const(c, *v) : eq_non_const(c);
    if (op == "=") return eq;
    if (v && v->is_null()) return 0;
    return clamp_probability(1.0 - eq - null_fraction(c));
  }
  if (!v) return kDefaultIneqSel;
  return ineq_const(c, op[0] == '>', op.size() == 2, *v);
}

double Statistics::clause_selectivity(const exec::Expr& clause, const std::vector<Column>& columns,
                                      const std::map<uint32_t, double>* rel_rows) {
  if (auto* k = dynamic_cast<const exec::ConstExpr*>(&clause)) {
    if (k->value.is_null()) return 0;
    return std::holds_alternative<bool>(k->value.datum()) && !k->value.as_bool() ? 0.0 : 1.0;
  }
  if (auto* b = dynamic_cast<const exec::BoolExpr*>(&clause)) {
    if (b->op == exec::BoolOp::kNot) return 1.0 - clause_selectivity(*b->args[0], columns, rel_rows);
    if (b->op == exec::BoolOp::kAnd) {
      std::vector<const exec::Expr*> args;
      for (const auto& a : b->args) args.push_back(a.get());
      return clauselist_selectivity(args, columns, rel_rows);
    }
    double s = 0;  // OR: the sum less the overlaps, taking the terms to be independent
    for (const auto& a : b->args) {
      double s2 = clause_selectivity(*a, columns, rel_rows);
      s = s + s2 - s * s2;
    }
    return s;
  }
  if (auto* t = dynamic_cast<const exec::TestExpr*>(&clause)) {
    auto ref = examine(*t->arg, columns, rel_rows);
    bool stats = ref && ref->stats;
    double nullfrac = stats ? ref->stats->null_frac : 0;
    switch (t->kind) {
      case exec::TestKind::kIsNull: return stats ? nullfrac : kDefaultUnkSel;
      case exec::TestKind::kIsNotNull: return stats ? 1.0 - nullfrac : 1.0 - kDefaultUnkSel;
      case exec::TestKind::kIsUnknown: return stats ? nullfrac : kDefaultUnkSel;
      case exec::TestKind::kIsNotUnknown: return stats ? 1.0 - nullfrac : 1.0 - kDefaultUnkSel;
      case exec::TestKind::kIsTrue:
      case exec::TestKind::kIsNotFalse:
        return stats ? (1.0 - nullfrac) / 2.0 : clause_selectivity(*t->arg, columns, rel_rows);
      case exec::TestKind::kIsFalse:
      case exec::TestKind::kIsNotTrue:
        return stats ? (1.0 - nullfrac) / 2.0 : 1.0 - clause_selectivity(*t->arg, columns, rel_rows);
    }
  }
  if (auto* in = dynamic_cast<const exec::InListExpr*>(&clause)) {
    // x IN (a, b, ...): each equality, as independent alternatives (scalararraysel).
    double s = 0;
    for (const auto& test : in->tests) {
      double s2 = clause_selectivity(*test, columns, rel_rows);
      s = s + s2 - s * s2;
    }
    return in->negate ? 1.0 - s : s;
  }
  if (auto* f = dynamic_cast<const exec::FuncExpr*>(&clause)) {
    const std::string& op = f->def->name;
    if (f->args.size() == 2) {
      bool like = op == "~~" || op == "~~*" || op == "!~~" || op == "!~~*";
      bool regex = op == "~" || op == "~*" || op == "!~" || op == "!~*";
      bool compare_op = op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
      if (like || regex) {
        double otherwise = op[0] == '!' ? 1.0 - kDefaultMatchSel : kDefaultMatchSel;
        auto ref = examine(*f->args[0], columns, rel_rows);
        const Value* pattern = constant_of(*f->args[1]);
        if (!like || !ref || !pattern) return otherwise;
        return like_selectivity(*ref, *f, *pattern);
      }
      if (compare_op) {
        auto l = examine(*f->args[0], columns, rel_rows), r = examine(*f->args[1], columns, rel_rows);
        if (l && r) {
          if (op == "=" && l->table != r->table) return equijoin_selectivity(*l, *r);
          if (op == "=") return eq_non_const(*l);
          return op == "<>" ? 1.0 - eq_non_const(*l) : kDefaultIneqSel;
        }
        if (l && row_independent(*f->args[1])) return compare_selectivity(*l, op, *f->args[1]);
        if (r && row_independent(*f->args[0])) return compare_selectivity(*r, mirror_comparison(op), *f->args[0]);
        return op == "=" ? kDefaultEqSel : op == "<>" ? 1.0 - kDefaultEqSel : kDefaultIneqSel;
      }
    }
    if (f->type == oid::kBool) return 0.3333333;  // a function call: PostgreSQL's guess since 1992
  }
  if (clause.type == oid::kBool) {
    // A boolean column: col = true.
    if (auto ref = examine(clause, columns, rel_rows); ref && ref->stats) return eq_const(*ref, Value::boolean(true));
  }
  return 0.5;
}

double Statistics::clauselist_selectivity(std::span<const exec::Expr* const> clauses, const std::vector<Column>& columns,
                                          const std::map<uint32_t, double>* rel_rows) {
  // A lower and an upper bound on one column make a range: hisel + losel - 1 (addRangeClauses).
  struct Range {
    double lo = -1, hi = -1;
    ColumnRef ref;
  };
  std::map<std::pair<uint32_t, uint32_t>, Range> ranges;
  double s = 1;
  for (const exec::Expr* c : clauses) {
    if (!c) continue;
    if (auto* b = dynamic_cast<const exec::BoolExpr*>(c); b && b->op == exec::BoolOp::kAnd) {
      std::vector<const exec::Expr*> args;
      for (const auto& a : b->args) args.push_back(a.get());
      s *= clauselist_selectivity(args, columns, rel_rows);
      continue;
    }
    auto* f = dynamic_cast<const exec::FuncExpr*>(c);
    if (f && f->args.size() == 2) {
      std::string op = f->def->name;
      if (op == "<" || op == "<=" || op == ">" || op == ">=") {
        auto ref = examine(*f->args[0], columns, rel_rows);
        const exec::Expr* value = f->args[1].get();
        if (!ref || !row_independent(*value)) {
          ref = examine(*f->args[1], columns, rel_rows);
          value = f->args[0].get();
          op = mirror_comparison(op);
        }
        if (ref && row_independent(*value)) {
          Range& r = ranges[{ref->table->id, ref->column->id}];
          r.ref = *ref;
          double sel = compare_selectivity(*ref, op, *value);
          double& bound = op[0] == '>' ? r.lo : r.hi;
          bound = bound < 0 ? sel : std::min(bound, sel);
          continue;
        }
      }
    }
    s *= clause_selectivity(*c, columns, rel_rows);
  }
  for (const auto& [key, r] : ranges) {
    if (r.lo < 0 || r.hi < 0) {
      s *= r.lo < 0 ? r.hi : r.lo;
      continue;
    }
    s *= range_selectivity(r.lo, r.hi, null_fraction(r.ref));
  }
  return s;
}

double Statistics::equijoin_selectivity(const ColumnRef& a, const ColumnRef& b) {
  double nd1 = std::min(num_distinct(a), std::max(1.0, a.rows)), nd2 = std::min(num_distinct(b), std::max(1.0, b.rows));
  const catalog::ColumnStatistics* s1 = a.stats;
  const catalog::ColumnStatistics* s2 = b.stats;
  double nullfrac1 = s1 ? s1->null_frac : 0, nullfrac2 = s2 ? s2->null_frac : 0;
  if (s1 && s2 && !s1->most_common_vals.empty() && !s2->most_common_vals.empty()) {
    // Which of the two lists' values meet, and how often; the rest of each side is taken to
    // meet the other's rest evenly.
    size_t n1 = s1->most_common_vals.size(), n2 = s2->most_common_vals.size();
    std::vector<bool> match1(n1), match2(n2);
    double matchprodfreq = 0;
    double nmatches = 0;
    for (size_t i = 0; i < n1; ++i)
      for (size_t j = 0; j < n2; ++j) {
        if (match2[j]) continue;
        auto r = compare(s1->most_common_vals[i], s2->most_common_vals[j]);
        if (r && *r == 0) {
          match1[i] = match2[j] = true;
          matchprodfreq += s1->most_common_freqs[i] * s2->most_common_freqs[j];
          ++nmatches;
          break;
        }
      }
    matchprodfreq = clamp_probability(matchprodfreq);
    double matchfreq1 = 0, unmatchfreq1 = 0, matchfreq2 = 0, unmatchfreq2 = 0;
    for (size_t i = 0; i < n1; ++i) (match1[i] ? matchfreq1 : unmatchfreq1) += s1->most_common_freqs[i];
    for (size_t j = 0; j < n2; ++j) (match2[j] ? matchfreq2 : unmatchfreq2) += s2->most_common_freqs[j];
    double otherfreq1 = clamp_probability(1.0 - nullfrac1 - matchfreq1 - unmatchfreq1);
    double otherfreq2 = clamp_probability(1.0 - nullfrac2 - matchfreq2 - unmatchfreq2);
    double totalsel1 = matchprodfreq, totalsel2 = matchprodfreq;
    if (nd2 > static_cast<double>(n2)) totalsel1 += unmatchfreq1 * otherfreq2 / (nd2 - static_cast<double>(n2));
    if (nd2 > nmatches) totalsel1 += otherfreq1 * (otherfreq2 + unmatchfreq2) / (nd2 - nmatches);
    if (nd1 > static_cast<double>(n1)) totalsel2 += unmatchfreq2 * otherfreq1 / (nd1 - static_cast<double>(n1));
    if (nd1 > nmatches) totalsel2 += otherfreq2 * (otherfreq1 + unmatchfreq1) / (nd1 - nmatches);
    return clamp_probability(std::min(totalsel1, totalsel2));
  }
  double selec = (1.0 - nullfrac1) * (1.0 - nullfrac2);
  return clamp_probability(selec / std::max(nd1, nd2));
}

double Statistics::num_groups(std::span<const exec::Expr* const> group, const std::vector<Column>& columns,
                              double input_rows, const std::map<uint32_t, double>* rel_rows) {
  if (input_rows < 2) return std::max(1.0, input_rows);
  // Per table: the product of its columns' distinct values, clamped (estimate_num_groups);
  // an expression of no table column counts DEFAULT_NUM_DISTINCT, a constant one group.
  struct Rel {
    double product = 1, max_nd = 0, tuples = 0, rows = 0;
    int count = 0;
  };
  std::map<uint32_t, Rel> rels;
  std::set<std::pair<uint32_t, uint32_t>> seen;
  double other = 1;
  for (const exec::Expr* g : group) {
    if (!g || row_independent(*g)) continue;
    if (auto ref = examine(*g, columns, rel_rows)) {
      if (!seen.insert({ref->table->id, ref->column->id}).second) continue;
      Rel& r = rels[ref->table->id];
      double nd = num_distinct(*ref);
      r.product *= nd;
      r.max_nd = std::max(r.max_nd, nd);
      r.tuples = ref->tuples;
      r.rows = ref->rows;
      ++r.count;
    } else {
      other *= kDefaultNumDistinct;
    }
  }
  double groups = other;
  for (auto& [id, r] : rels) {
    double reldistinct = r.product;
    double clamp = r.tuples;
    if (r.count > 1) {
      clamp *= 0.1;
      if (clamp < r.max_nd) clamp = std::min(r.max_nd, r.tuples);
    }
    if (reldistinct > clamp) reldistinct = clamp;
    // Only some of the table's rows: fewer of its values (Dell'Era's approximation).
    if (reldistinct > 0 && r.rows < r.tuples)
      reldistinct *= 1 - std::pow((r.tuples - r.rows) / r.tuples, r.tuples / reldistinct);
    groups *= clamp_rows(reldistinct);
  }
  groups = std::ceil(groups);
  return std::clamp(groups, 1.0, input_rows);
}

}  // namespace heliosdb::planner
