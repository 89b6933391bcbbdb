// The function and operator registry, and overload resolution.
#include "executor/functions.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/array.h"
#include "common/record.h"
#include "common/errors.h"
#include "common/numeric.h"
#include "common/types.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

using Registry = std::unordered_map<std::string, std::vector<FuncDef>>;

Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry();
    std::vector<FuncDef> all;
    register_operators(all);
    register_string_functions(all);
    register_math_functions(all);
    register_agg_support_functions(all);
    register_misc_functions(all);
    register_datetime_functions(all);
    register_array_functions(all);
    register_regex_functions(all);
    register_catalog_functions(all);
    register_json_functions(all);
    register_to_char_functions(all);
    register_number_format_functions(all);
    register_datetime_parse_functions(all);
    register_bytea_functions(all);
    for (auto& f : all) (*reg)[f.name].push_back(std::move(f));
    return reg;
  }();
  return *r;
}

const types::TypeInfo* tinfo(uint32_t t) { return types::find(t); }

}  // namespace

bool function_exists(std::string_view name) { return registry().count(std::string(name)) > 0; }

bool function_volatile(std::string_view name) {
  auto it = registry().find(std::string(name));
  if (it == registry().end()) return false;
  for (const auto& f : it->second)
    if (f.volatile_) return true;
  return false;
}

const ArgNames* builtin_arg_names(std::string_view function) {
  static const std::vector<ArgNames> kNamed = {
      {"make_interval",
       {"years", "months", "weeks", "days", "hours", "mins", "secs"},
       {Value::int4(0), Value::int4(0), Value::int4(0), Value::int4(0), Value::int4(0), Value::int4(0), Value::float8(0.0)}},
  };
  for (const auto& a : kNamed)
    if (a.function == function) return &a;
  return nullptr;
}

const FuncDef* resolve_function(std::string_view name, const std::vector<uint32_t>& args) {
  auto it = registry().find(std::string(name));
  if (it == registry().end()) return nullptr;
  struct Cand { const FuncDef* f; int exact; int preferred; int category_match; };
  std::vector<Cand> cands;
  for (const auto& f : it->second) {
    size_t nparams = f.args.size();
    // A variadic parameter takes one argument or more (format(text) and json_build_object()
    // are overloads of their own, as in pg_proc).
    if (f.variadic ? args.size() < nparams : args.size() != nparams) continue;
    Cand c{&f, 0, 0, 0};
    bool ok = true;
    uint32_t poly = 0;  // the element type anyelement/anyarray arguments agree on
    for (size_t i = 0; i < args.size() && ok; ++i) {
      uint32_t want = f.args[std::min(i, nparams - 1)];
      uint32_t have = args[i];
      if (want == oid::kAnyArray || want == oid::kAnyElement || want == types::kAnyEnum) {
        if (have == oid::kUnknownType) continue;
        if (want == types::kAnyEnum && !types::enum_of(have)) { ok = false; break; }
        uint32_t e = want == oid::kAnyArray ? array::element_type(have) : have;
        if (!e || (poly && poly != e)) ok = false;
        poly = e;
        continue;
      }
      if (want == oid::kRecord) {  // any record: the composite types and record itself
        if (have == oid::kUnknownType) continue;
        if (!record::is_record(have)) { ok = false; break; }
        c.exact += have == want;
        continue;
      }
      if (want == kAnyNonArray) want = array::is_array(have) ? 0 : kAnyType;
      if (want == kAnyType || have == want) { c.exact += (have == want); continue; }
      if (!can_coerce_implicit(have, want)) { ok = false; break; }
      if (const auto* w = tinfo(want)) {
        if (w->preferred) ++c.preferred;
        // An unknown literal leans to the category of the other arguments, else to strings.
        if (have == oid::kUnknownType) {
          bool known_same_cat = false, any_known = false;
          for (uint32_t a : args) {
            if (a == oid::kUnknownType) continue;
            any_known = true;
            if (const auto* ai = tinfo(a); ai && ai->category == w->category) known_same_cat = true;
            if (a == want) c.category_match += 2;
          }
          if (known_same_cat || (!any_known && w->category == types::Category::kString)) ++c.category_match;
        }
      }
    }
    if (ok) cands.push_back(c);
  }
  if (cands.empty()) return nullptr;
  std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
    if (a.exact != b.exact) return a.exact > b.exact;
    if (a.category_match != b.category_match) return a.category_match > b.category_match;
    return a.preferred > b.preferred;
  });
  return cands.front().f;
}

bool unknown_arguments_ambiguous(std::string_view name, size_t nargs) {
  auto it = registry().find(std::string(name));
  if (it == registry().end() || nargs == 0) return false;
  for (size_t i = 0; i < nargs; ++i) {
    std::optional<types::Category> seen;
    bool mixed = false;
    for (const auto& f : it->second) {
      if (f.variadic ? nargs < f.args.size() : nargs != f.args.size()) continue;
      const auto* w = tinfo(f.args[std::min(i, f.args.size() - 1)]);
      if (!w) return false;  // a polymorphic or "any" parameter takes the literal as it is
      if (w->category == types::Category::kString) return false;
      if (seen && *seen != w->category) mixed = true;
      seen = w->category;
    }
    if (mixed) return true;
  }
  return false;
}

uint32_t polymorphic_element(const FuncDef& f, const std::vector<uint32_t>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    uint32_t want = f.args[std::min(i, f.args.size() - 1)];
    if (args[i] == oid::kUnknownType) continue;
    if (want == oid::kAnyArray) return array::element_type(args[i]);
    if (want == oid::kAnyElement || want == types::kAnyEnum) return args[i];
  }
  return 0;
}

int compare_values(const Value& a, const Value& b) {
  if (array::is_array(a.type())) return array::compare(array::decode(a), array::decode(b), compare_values);
  if (record::is_record(a.type()) && !a.is_null() && !b.is_null())
    return record::compare(record::decode(a), record::decode(b), compare_values);
  if (a.type() == oid::kNumeric && b.type() == oid::kNumeric) return numeric::cmp(a.as_string(), b.as_string());
  if (const types::EnumType* e = types::enum_of(a.type()); e && !a.is_null() && !b.is_null()) {
    int x = e->label_index(a.as_string()), y = e->label_index(b.as_string());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return std::visit(
      [&](const auto& x) -> int {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return 0;
        } else if constexpr (std::is_same_v<T, double>) {
          double y = b.as_double();
          bool nx = std::isnan(x), ny = std::isnan(y);
          if (nx || ny) return nx == ny ? 0 : nx ? 1 : -1;  // NaN sorts last and equals NaN
          return x < y ? -1 : x > y ? 1 : 0;
        } else if constexpr (std::is_same_v<T, std::string>) {
          std::string_view p = x, q = b.as_string();
          if (a.type() == oid::kBpchar) {
            while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
            while (!q.empty() && q.back() == ' ') q.remove_suffix(1);
          }
          int c = p.compare(q);
          return c < 0 ? -1 : c > 0 ? 1 : 0;
        } else if constexpr (std::is_same_v<T, Interval>) {
          Interval y = b.as_interval();
          auto span = [](const Interval& i) {
            return (static_cast<__int128>(i.months) * 30 + i.days) * 86400000000LL + i.micros;
          };
          __int128 s1 = span(x), s2 = span(y);
          return s1 < s2 ? -1 : s1 > s2 ? 1 : 0;
        } else {
          T y = std::get<T>(b.datum());
          return x < y ? -1 : x > y ? 1 : 0;
        }
      },
      a.datum());
}

}  // namespace heliosdb::exec
