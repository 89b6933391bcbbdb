// WITH (...) storage parameters of tables: checked as PostgreSQL's reloptions.c checks them
// (names, types and bounds), then not kept: nothing here depends on them.
#include <cerrno>
#include <cstdlib>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "common/errors.h"
#include "common/type_io.h"
#include "common/types.h"
#include "engine/ddl.h"
#include "sql/parser.h"

namespace heliosdb::engine::ddl {

namespace json = boost::json;

namespace {

enum class Kind { kBool, kInt, kReal, kEnum };
struct Option {
  const char* name;
  Kind kind;
  double min = 0, max = 0;
  bool toast = true;  // also under toast.
};

// PostgreSQL 15's heap (and toast) relation options.
constexpr double kIntMax = 2147483647;
const Option kOptions[] = {
    {"fillfactor", Kind::kInt, 10, 100, false},
    {"autovacuum_enabled", Kind::kBool},
    {"autovacuum_vacuum_threshold", Kind::kInt, 0, kIntMax},
    {"autovacuum_vacuum_insert_threshold", Kind::kInt, -1, kIntMax},
    {"autovacuum_analyze_threshold", Kind::kInt, 0, kIntMax, false},
    {"autovacuum_vacuum_cost_limit", Kind::kInt, 1, 10000},
    {"autovacuum_freeze_min_age", Kind::kInt, 0, 1000000000},
    {"autovacuum_multixact_freeze_min_age", Kind::kInt, 0, 1000000000},
    {"autovacuum_freeze_max_age", Kind::kInt, 100000, 2000000000},
    {"autovacuum_multixact_freeze_max_age", Kind::kInt, 10000, 2000000000},
    {"autovacuum_freeze_table_age", Kind::kInt, 0, 2000000000},
    {"autovacuum_multixact_freeze_table_age", Kind::kInt, 0, 2000000000},
    {"log_autovacuum_min_duration", Kind::kInt, -1, kIntMax},
    {"toast_tuple_target", Kind::kInt, 128, 8160, false},
    {"autovacuum_vacuum_cost_delay", Kind::kReal, 0, 100},
    {"autovacuum_vacuum_scale_factor", Kind::kReal, 0, 100},
    {"autovacuum_vacuum_insert_scale_factor", Kind::kReal, 0, 100},
    {"autovacuum_analyze_scale_factor", Kind::kReal, 0, 100, false},
    {"user_catalog_table", Kind::kBool, 0, 0, false},
    {"parallel_workers", Kind::kInt, 0, 1024, false},
    {"vacuum_index_cleanup", Kind::kEnum},
    {"vacuum_truncate", Kind::kBool},
};

// parse_bool's spellings, which are boolin's.
bool parse_bool(std::string_view v, bool& out) {
  try {
    out = types::parse_text(oid::kBool, v, -1, types::default_text_context()).as_bool();
    return true;
  } catch (const Error&) {
    return false;
  }
}

// A DefElem's value as text (what reloptions store): an omitted value is "true".
std::string value_text(const json::object& d) {
  const json::value* arg = sql::field(d, "arg");
  if (!arg) return "true";
  const auto& body = sql::node_body(*arg);
  if (sql::node_type(*arg) == "Integer") return std::to_string(sql::int_field(body, "ival"));
  if (sql::node_type(*arg) == "Float") return std::string(sql::str_field(body, "fval"));
  if (sql::node_type(*arg) == "Boolean") return sql::bool_field(body, "boolval") ? "true" : "false";
  if (sql::node_type(*arg) == "String") return std::string(sql::str_field(body, "sval"));
  if (sql::node_type(*arg) == "TypeName") {
    std::string name;
    for (const auto& s : sql::list_field(body, "names")) name = std::string(sql::string_node(s));
    return name;
  }
  return "true";
}

}  // namespace

void check_table_options(const json::array& options) {
  std::set<std::string> seen;
  for (const auto& o : options) {
    const auto& d = sql::node_body(o);
    std::string ns(sql::str_field(d, "defnamespace")), name(sql::str_field(d, "defname"));
    std::string value = value_text(d);
    if (ns.empty() && name == "oids") {
      bool on = false;
      if (!parse_bool(value, on)) raise(sqlstate::kInvalidParameterValue, "invalid value for boolean option \"oids\": {}", value);
      if (on) raise(sqlstate::kFeatureNotSupported, "tables declared WITH OIDS are not supported");
      continue;
    }
    if (!ns.empty() && ns != "toast") raise(sqlstate::kInvalidParameterValue, "unrecognized parameter namespace \"{}\"", ns);
    const Option* opt = nullptr;
    for (const auto& c : kOptions)
      if (name == c.name && (ns.empty() || c.toast)) opt = &c;
    if (!opt) raise(sqlstate::kInvalidParameterValue, "unrecognized parameter \"{}\"", name);
    if (!seen.insert(ns + "." + name).second) raise(sqlstate::kInvalidParameterValue, "parameter \"{}\" specified more than once", name);
    switch (opt->kind) {
      case Kind::kBool: {
        bool b;
        if (!parse_bool(value, b)) raise(sqlstate::kInvalidParameterValue, "invalid value for boolean option \"{}\": {}", name, value);
        break;
      }
      case Kind::kInt: {
        errno = 0;
        char* end = nullptr;
        long long v = std::strtoll(value.c_str(), &end, 0);
        while (end && *end == ' ') ++end;
        if (value.empty() || errno || !end || *end || v < -kIntMax - 1 || v > kIntMax)
          raise(sqlstate::kInvalidParameterValue, "invalid value for integer option \"{}\": {}", name, value);
        if (static_cast<double>(v) < opt->min || static_cast<double>(v) > opt->max)
          throw Error(sqlstate::kInvalidParameterValue, fmt::format("value {} out of bounds for option \"{}\"", value, name))
              .with_detail(fmt::format("Valid values are between \"{}\" and \"{}\".", static_cast<long long>(opt->min),
                                       static_cast<long long>(opt->max)));
        break;
      }
      case Kind::kReal: {
        errno = 0;
        char* end = nullptr;
        double v = std::strtod(value.c_str(), &end);
        while (end && *end == ' ') ++end;
        if (value.empty() || errno || !end || *end)
          raise(sqlstate::kInvalidParameterValue, "invalid value for floating point option \"{}\": {}", name, value);
        if (v < opt->min || v > opt->max)
          throw Error(sqlstate::kInvalidParameterValue, fmt::format("value {} out of bounds for option \"{}\"", value, name))
              .with_detail(fmt::format("Valid values are between \"{:f}\" and \"{:f}\".", opt->min, opt->max));
        break;
      }
      case Kind::kEnum: {
        bool b;
        std::string lower = value;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower != "auto" && !parse_bool(value, b))
          throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for enum option \"{}\": {}", name, value))
              .with_detail("Valid values are \"on\", \"off\", and \"auto\".");
        break;
      }
    }
  }
}

}  // namespace heliosdb::engine::ddl
