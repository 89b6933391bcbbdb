// Built-in scalar functions and operators, and PostgreSQL's rules for choosing among overloads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "executor/expr.h"

namespace heliosdb::exec {

inline constexpr uint32_t kAnyType = 2276;  // "any": accepts every type as is
inline constexpr uint32_t kAnyNonArray = 2776;  // "anynonarray": every type but arrays, as is

struct FuncDef {
  std::string name;             // function name or operator symbol ("+", "=", "lower")
  std::vector<uint32_t> args;   // argument type OIDs (kAnyType: any)
  uint32_t ret;                 // result type; kAnyType: the first argument's type
  FnPtr fn;
  bool strict = true;           // NULL in any argument gives NULL without calling fn
  bool volatile_ = false;       // random(), nextval(): never constant-folded
  bool variadic = false;        // last argument repeats
};

// Resolves name(args) to the best overload as PostgreSQL would (exact matches first, then
// implicit casts, preferring the preferred type of a category; unknown literals adapt).
// Returns nullptr when nothing fits.
const FuncDef* resolve_function(std::string_view name, const std::vector<uint32_t>& arg_types);
// True when every argument is an unknown literal and PostgreSQL's func_select_candidate could not
// choose: no candidate takes a string there and the candidates' categories differ ('1' + '2').
bool unknown_arguments_ambiguous(std::string_view name, size_t nargs);
bool function_exists(std::string_view name);
// A built-in function's argument names and its trailing arguments' defaults (pg_proc's
// proargnames and proargdefaults), for calls that name arguments or leave some out.
struct ArgNames {
  std::string_view function;
  std::vector<std::string_view> names;
  std::vector<Value> defaults;  // of the last defaults.size() arguments
};
const ArgNames* builtin_arg_names(std::string_view function);
// Whether some overload of name is volatile (never constant-folded: random(), nextval(), ...).
bool function_volatile(std::string_view name);
// A polymorphic function's element type: what its anyelement arguments are and its anyarray
// arguments hold (0 when every such argument is an unknown literal).
uint32_t polymorphic_element(const FuncDef& f, const std::vector<uint32_t>& arg_types);

// Whether a value of type `from` converts implicitly (in expressions) to `to`.
bool can_coerce_implicit(uint32_t from, uint32_t to);
// Whether an explicit cast exists.
bool can_cast(uint32_t from, uint32_t to);

// Converts v to type `to` with typmod as CAST does (explicit) or as an assignment does.
Value cast_value(const Value& v, uint32_t to, int32_t typmod, bool explicit_cast, ExecContext& ctx);

// The common type of a set (CASE, COALESCE, UNION, VALUES): PostgreSQL's select_common_type.
// Throws 42804 `X types a and b cannot be matched` (context names the construct).
uint32_t common_type(const std::vector<uint32_t>& types, const char* context);

// Comparison of two non-NULL values of the same type family: <0, 0, >0.
int compare_values(const Value& a, const Value& b);

}  // namespace heliosdb::exec
