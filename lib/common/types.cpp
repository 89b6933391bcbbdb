#include "common/types.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "common/errors.h"

namespace heliosdb::types {
namespace {

using C = Category;
constexpr std::array kTypes = {
    TypeInfo{oid::kBool, "bool", "boolean", C::kBoolean, 1, true, 1000},
    TypeInfo{oid::kBytea, "bytea", "bytea", C::kUser, -1, false, 1001},
    TypeInfo{oid::kChar, "char", "\"char\"", C::kString, 1, false, 1002},
    TypeInfo{oid::kName, "name", "name", C::kString, 64, false, 1003},
    TypeInfo{oid::kInt8, "int8", "bigint", C::kNumeric, 8, false, 1016},
    TypeInfo{oid::kInt2, "int2", "smallint", C::kNumeric, 2, false, 1005},
    TypeInfo{oid::kInt4, "int4", "integer", C::kNumeric, 4, false, 1007},
    TypeInfo{oid::kRegproc, "regproc", "regproc", C::kNumeric, 4, false, 1008},
    TypeInfo{oid::kText, "text", "text", C::kString, -1, true, 1009},
    TypeInfo{oid::kOid, "oid", "oid", C::kNumeric, 4, true, 1028},
    TypeInfo{oid::kJson, "json", "json", C::kUser, -1, false, 199},
    TypeInfo{oid::kFloat4, "float4", "real", C::kNumeric, 4, false, 1021},
    TypeInfo{oid::kFloat8, "float8", "double precision", C::kNumeric, 8, true, 1022},
    TypeInfo{oid::kUnknownType, "unknown", "unknown", C::kUnknown, -2, false, 0},
    TypeInfo{oid::kBpchar, "bpchar", "character", C::kString, -1, false, 1014},
    TypeInfo{oid::kVarchar, "varchar", "character varying", C::kString, -1, false, 1015},
    TypeInfo{oid::kDate, "date", "date", C::kDateTime, 4, false, 1182},
    TypeInfo{oid::kTime, "time", "time without time zone", C::kDateTime, 8, false, 1183},
    TypeInfo{oid::kTimestamp, "timestamp", "timestamp without time zone", C::kDateTime, 8, false, 1115},
    TypeInfo{oid::kTimestamptz, "timestamptz", "timestamp with time zone", C::kDateTime, 8, true, 1185},
    TypeInfo{oid::kInterval, "interval", "interval", C::kTimespan, 16, true, 1187},
    TypeInfo{oid::kTimetz, "timetz", "time with time zone", C::kDateTime, 12, false, 1270},
    TypeInfo{oid::kNumeric, "numeric", "numeric", C::kNumeric, -1, false, 1231},
    TypeInfo{oid::kRegclass, "regclass", "regclass", C::kNumeric, 4, false, 2210},
    TypeInfo{oid::kRecord, "record", "record", C::kPseudo, -1, false, 2287},
    TypeInfo{oid::kVoid, "void", "void", C::kPseudo, 4, false, 0},
    TypeInfo{oid::kUuid, "uuid", "uuid", C::kUser, 16, false, 2951},
    TypeInfo{oid::kJsonb, "jsonb", "jsonb", C::kUser, -1, false, 3807},
    // Types of the system catalogs.
    TypeInfo{oid::kInt2Vector, "int2vector", "int2vector", C::kArray, -1, false, 1006},
    TypeInfo{oid::kOidVector, "oidvector", "oidvector", C::kArray, -1, false, 1013},
    TypeInfo{oid::kXid, "xid", "xid", C::kUser, 4, false, 1011},
    TypeInfo{oid::kCid, "cid", "cid", C::kUser, 4, false, 1012},
    TypeInfo{oid::kTid, "tid", "tid", C::kUser, 6, false, 1010},
    TypeInfo{1012, "_cid", "cid[]", C::kArray, -1, false, 0},
    TypeInfo{1010, "_tid", "tid[]", C::kArray, -1, false, 0},
    TypeInfo{oid::kPgNodeTree, "pg_node_tree", "pg_node_tree", C::kString, -1, false, 0},
    TypeInfo{oid::kAclitem, "aclitem", "aclitem", C::kUser, 12, false, 1034},
    TypeInfo{oid::kRegtype, "regtype", "regtype", C::kNumeric, 4, false, 2211},
    TypeInfo{oid::kRegnamespace, "regnamespace", "regnamespace", C::kNumeric, 4, false, 4090},
    TypeInfo{oid::kRegrole, "regrole", "regrole", C::kNumeric, 4, false, 4097},
    TypeInfo{oid::kRegprocedure, "regprocedure", "regprocedure", C::kNumeric, 4, false, 2207},
    TypeInfo{oid::kAnyArray, "anyarray", "anyarray", C::kPseudo, -1, false, 0},
    TypeInfo{oid::kAnyElement, "anyelement", "anyelement", C::kPseudo, 4, false, 0},
    TypeInfo{2276, "any", "\"any\"", C::kPseudo, 4, false, 0},
    TypeInfo{2776, "anynonarray", "anynonarray", C::kPseudo, 4, false, 0},
    TypeInfo{5077, "anycompatible", "anycompatible", C::kPseudo, 4, false, 0},
    TypeInfo{5078, "anycompatiblearray", "anycompatiblearray", C::kPseudo, -1, false, 0},
    TypeInfo{2275, "cstring", "cstring", C::kPseudo, -2, false, 1263},
    TypeInfo{2279, "trigger", "trigger", C::kPseudo, 4, false, 0},
    TypeInfo{3838, "event_trigger", "event_trigger", C::kPseudo, 4, false, 0},
    TypeInfo{2280, "language_handler", "language_handler", C::kPseudo, 4, false, 0},
    TypeInfo{2281, "internal", "internal", C::kPseudo, 8, false, 0},
    TypeInfo{3500, "anyenum", "anyenum", C::kPseudo, 4, false, 0},
    TypeInfo{269, "table_am_handler", "table_am_handler", C::kPseudo, 4, false, 0},
    TypeInfo{325, "index_am_handler", "index_am_handler", C::kPseudo, 4, false, 0},
    // Array types (typcategory 'A'): "_int4" is int4[], printed "integer[]".
    TypeInfo{1000, "_bool", "boolean[]", C::kArray, -1, false, 0},
    TypeInfo{1001, "_bytea", "bytea[]", C::kArray, -1, false, 0},
    TypeInfo{1002, "_char", "\"char\"[]", C::kArray, -1, false, 0},
    TypeInfo{1003, "_name", "name[]", C::kArray, -1, false, 0},
    TypeInfo{1016, "_int8", "bigint[]", C::kArray, -1, false, 0},
    TypeInfo{1005, "_int2", "smallint[]", C::kArray, -1, false, 0},
    TypeInfo{1007, "_int4", "integer[]", C::kArray, -1, false, 0},
    TypeInfo{1008, "_regproc", "regproc[]", C::kArray, -1, false, 0},
    TypeInfo{1009, "_text", "text[]", C::kArray, -1, false, 0},
    TypeInfo{1028, "_oid", "oid[]", C::kArray, -1, false, 0},
    TypeInfo{199, "_json", "json[]", C::kArray, -1, false, 0},
    TypeInfo{1021, "_float4", "real[]", C::kArray, -1, false, 0},
    TypeInfo{1022, "_float8", "double precision[]", C::kArray, -1, false, 0},
    TypeInfo{1014, "_bpchar", "character[]", C::kArray, -1, false, 0},
    TypeInfo{1015, "_varchar", "character varying[]", C::kArray, -1, false, 0},
    TypeInfo{1182, "_date", "date[]", C::kArray, -1, false, 0},
    TypeInfo{1183, "_time", "time without time zone[]", C::kArray, -1, false, 0},
    TypeInfo{1115, "_timestamp", "timestamp without time zone[]", C::kArray, -1, false, 0},
    TypeInfo{1185, "_timestamptz", "timestamp with time zone[]", C::kArray, -1, false, 0},
    TypeInfo{1187, "_interval", "interval[]", C::kArray, -1, false, 0},
    TypeInfo{1270, "_timetz", "time with time zone[]", C::kArray, -1, false, 0},
    TypeInfo{1231, "_numeric", "numeric[]", C::kArray, -1, false, 0},
    TypeInfo{2210, "_regclass", "regclass[]", C::kArray, -1, false, 0},
    TypeInfo{2287, "_record", "record[]", C::kArray, -1, false, 0},
    TypeInfo{2951, "_uuid", "uuid[]", C::kArray, -1, false, 0},
    TypeInfo{3807, "_jsonb", "jsonb[]", C::kArray, -1, false, 0},
    TypeInfo{1006, "_int2vector", "int2vector[]", C::kArray, -1, false, 0},
    TypeInfo{1013, "_oidvector", "oidvector[]", C::kArray, -1, false, 0},
    TypeInfo{1011, "_xid", "xid[]", C::kArray, -1, false, 0},
    TypeInfo{1034, "_aclitem", "aclitem[]", C::kArray, -1, false, 0},
    TypeInfo{2211, "_regtype", "regtype[]", C::kArray, -1, false, 0},
    TypeInfo{4090, "_regnamespace", "regnamespace[]", C::kArray, -1, false, 0},
    TypeInfo{4097, "_regrole", "regrole[]", C::kArray, -1, false, 0},
    TypeInfo{2207, "_regprocedure", "regprocedure[]", C::kArray, -1, false, 0},
    TypeInfo{1263, "_cstring", "cstring[]", C::kArray, -1, false, 0},
};


std::unordered_map<std::string_view, uint32_t>* make_names() {
  auto* m = new std::unordered_map<std::string_view, uint32_t>{
      {"bool", oid::kBool}, {"boolean", oid::kBool},
      {"bytea", oid::kBytea}, {"char", oid::kBpchar}, {"\"char\"", oid::kChar},
      {"name", oid::kName},
      {"int8", oid::kInt8}, {"bigint", oid::kInt8},
      {"int2", oid::kInt2}, {"smallint", oid::kInt2},
      {"int4", oid::kInt4}, {"int", oid::kInt4}, {"integer", oid::kInt4},
      {"text", oid::kText}, {"oid", oid::kOid}, {"json", oid::kJson},
      {"float4", oid::kFloat4}, {"real", oid::kFloat4},
      {"float8", oid::kFloat8}, {"double precision", oid::kFloat8}, {"float", oid::kFloat8},
      {"unknown", oid::kUnknownType},
      {"bpchar", oid::kBpchar}, {"character", oid::kBpchar},
      {"varchar", oid::kVarchar}, {"character varying", oid::kVarchar},
      {"date", oid::kDate},
      {"time", oid::kTime}, {"time without time zone", oid::kTime},
      {"timetz", oid::kTimetz}, {"time with time zone", oid::kTimetz},
      {"timestamp", oid::kTimestamp}, {"timestamp without time zone", oid::kTimestamp},
      {"timestamptz", oid::kTimestamptz}, {"timestamp with time zone", oid::kTimestamptz},
      {"interval", oid::kInterval},
      {"numeric", oid::kNumeric}, {"decimal", oid::kNumeric},
      {"regclass", oid::kRegclass}, {"regproc", oid::kRegproc},
      {"record", oid::kRecord}, {"void", oid::kVoid},
      {"uuid", oid::kUuid}, {"jsonb", oid::kJsonb},
      {"regtype", oid::kRegtype}, {"regnamespace", oid::kRegnamespace}, {"regrole", oid::kRegrole},
      {"regprocedure", oid::kRegprocedure},
      {"anyarray", oid::kAnyArray}, {"anyelement", oid::kAnyElement},
  };
  // Every registry type by its pg_type name too ("int2vector", "_int4", "pg_node_tree").
  for (const auto& ti : kTypes) m->emplace(ti.name, ti.oid);
  return m;
}

const std::unordered_map<std::string_view, uint32_t>& names() {
  static const auto* m = make_names();
  return *m;
}

thread_local const UserTypes* g_user_types = nullptr;

}  // namespace

int EnumType::label_index(std::string_view label) const {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == label) return static_cast<int>(i);
  return -1;
}

std::shared_ptr<const EnumType> make_enum(EnumType e) {
  auto p = std::make_shared<EnumType>(std::move(e));
  p->array_name = "_" + p->name;
  p->info = TypeInfo{p->oid, p->name.c_str(), p->name.c_str(), C::kEnum, 4, false, p->array_oid};
  p->array_info = TypeInfo{p->array_oid, p->array_name.c_str(), p->array_name.c_str(), C::kArray, -1, false, 0};
  return p;
}

std::shared_ptr<const CompositeType> make_composite(CompositeType c) {
  auto p = std::make_shared<CompositeType>(std::move(c));
  p->array_name = "_" + p->name;
  p->info = TypeInfo{p->oid, p->name.c_str(), p->name.c_str(), C::kComposite, -1, false, p->array_oid};
  p->array_info = TypeInfo{p->array_oid, p->array_name.c_str(), p->array_name.c_str(), C::kArray, -1, false, 0};
  return p;
}

const CompositeType* find_composite(uint32_t oid) {
  return oid >= kFirstUserOid && g_user_types ? g_user_types->composite_type(oid) : nullptr;
}

void check_domain(uint32_t domain, const Value& v) {
  if (g_user_types) g_user_types->check_domain(domain, v);
}

UserTypesScope::UserTypesScope(const UserTypes* types) : saved_(g_user_types) { g_user_types = types; }
UserTypesScope::~UserTypesScope() { g_user_types = saved_; }

const EnumType* find_enum(uint32_t oid) {
  return oid >= kFirstUserOid && g_user_types ? g_user_types->enum_type(oid) : nullptr;
}

const TypeInfo* find(uint32_t t) {
  static const auto* by_oid = [] {
    auto* m = new std::unordered_map<uint32_t, const TypeInfo*>();
    for (const auto& ti : kTypes) m->emplace(ti.oid, &ti);
    return m;
  }();
  auto it = by_oid->find(t);
  if (it != by_oid->end()) return it->second;
  if (const EnumType* e = find_enum(t)) return e->oid == t ? &e->info : &e->array_info;
  if (const CompositeType* c = find_composite(t)) return c->oid == t ? &c->info : &c->array_info;
  return nullptr;
}

std::vector<uint32_t> all_oids() {
  std::vector<uint32_t> out;
  for (const auto& ti : kTypes) out.push_back(ti.oid);
  return out;
}


const TypeInfo& info(uint32_t t) {
  if (const auto* ti = find(t)) return *ti;
  raise(sqlstate::kInternalError, "cache lookup failed for type {}", t);
}

std::optional<uint32_t> lookup(std::string_view name) {
  const auto& m = names();
  auto it = m.find(name);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::string format_type(uint32_t t, int32_t typmod) {
  const TypeInfo* ti = find(t);
  if (!ti) {
    // User types, and the catalogs' row types and information_schema's domains.
    std::string user = g_user_types ? g_user_types->type_name(t) : "";
    return user.empty() ? "???" : user;
  }
  if (ti->category == C::kArray && ti->name[0] == '_') {
    // int4[] is "integer[]"; the element's typmod shows on it: "character varying(20)[]".
    for (const auto& e : kTypes)
      if (e.array_oid == t) return format_type(e.oid, typmod) + "[]";
    if (const EnumType* e = find_enum(t)) return format_type(e->oid, -1) + "[]";
    if (const CompositeType* c = find_composite(t)) return format_type(c->oid, -1) + "[]";
  }
  if (ti->category == C::kEnum || ti->category == C::kComposite) {
    return g_user_types ? g_user_types->type_name(t) : std::string(ti->name);
  }
  std::string base = ti->sql_name;
  if (typmod < 0) return base;
  switch (t) {
    case oid::kVarchar:
    case oid::kBpchar:
      return fmt::format("{}({})", base, typmod - 4);
    case oid::kNumeric: {
      int32_t tm = typmod - 4;
      return fmt::format("numeric({},{})", (tm >> 16) & 0xffff, static_cast<int16_t>(tm & 0xffff));
    }
    case oid::kTimestamp: return fmt::format("timestamp({}) without time zone", typmod);
    case oid::kTimestamptz: return fmt::format("timestamp({}) with time zone", typmod);
    case oid::kTime: return fmt::format("time({}) without time zone", typmod);
    case oid::kTimetz: return fmt::format("time({}) with time zone", typmod);
    case oid::kInterval: {
      // "interval day to second(2)": the fields, then the precision.
      static const std::pair<int32_t, const char*> kFields[] = {
          {1 << 2, " year"}, {1 << 1, " month"}, {1 << 3, " day"}, {1 << 10, " hour"}, {1 << 11, " minute"},
          {1 << 12, " second"}, {(1 << 2) | (1 << 1), " year to month"}, {(1 << 3) | (1 << 10), " day to hour"},
          {(1 << 3) | (1 << 10) | (1 << 11), " day to minute"},
          {(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), " day to second"},
          {(1 << 10) | (1 << 11), " hour to minute"}, {(1 << 10) | (1 << 11) | (1 << 12), " hour to second"},
          {(1 << 11) | (1 << 12), " minute to second"}};
      std::string out = "interval";
      for (const auto& [mask, text] : kFields)
        if (((typmod >> 16) & 0x7FFF) == mask) out += text;
      if ((typmod & 0xFFFF) != 0xFFFF) out += fmt::format("({})", typmod & 0xFFFF);
      return out;
    }
    default: return base;
  }
}

std::string format_type_with_typmod(uint32_t t, int32_t typmod) {
  if (t == oid::kBpchar && typmod < 0) return "bpchar";
  if (t == 1014 && typmod < 0) return "bpchar[]";
  return format_type(t, typmod);
}

int32_t make_typmod(uint32_t t, const int32_t* args, int nargs) {
  if (nargs == 0) return -1;
  switch (t) {
    case oid::kVarchar:
    case oid::kBpchar: {
      const char* n = t == oid::kVarchar ? "VARCHAR" : "CHAR";
      if (nargs != 1) raise(sqlstate::kSyntaxError, "invalid type modifier");
      if (args[0] < 1) raise(sqlstate::kInvalidParameterValue, "length for type {} must be at least 1", n);
      if (args[0] > 10 * 1024 * 1024)
        raise(sqlstate::kInvalidParameterValue, "length for type {} cannot exceed 10485760", n);
      return args[0] + 4;
    }
    case oid::kNumeric: {
      if (nargs > 2) raise(sqlstate::kInvalidParameterValue, "invalid NUMERIC type modifier");
      int32_t p = args[0], s = nargs == 2 ? args[1] : 0;
      if (p < 1 || p > 1000)
        raise(sqlstate::kInvalidParameterValue, "NUMERIC precision {} must be between 1 and 1000", p);
      if (s < -1000 || s > 1000)
        raise(sqlstate::kInvalidParameterValue, "NUMERIC scale {} must be between -1000 and 1000", s);
      return ((p << 16) | (s & 0xffff)) + 4;
    }
    case oid::kTimestamp:
    case oid::kTimestamptz:
    case oid::kTime:
    case oid::kTimetz: {
      if (nargs != 1) raise(sqlstate::kSyntaxError, "invalid type modifier");
      if (args[0] < 0)
        raise(sqlstate::kInvalidParameterValue, "TIMESTAMP({}) precision must not be negative", args[0]);
      return args[0] > 6 ? 6 : args[0];
    }
    case oid::kInterval: {
      // INTERVAL [fields] [(p)]: the grammar gives the fields' mask (0x7FFF for none), then p.
      static constexpr int32_t kRanges[] = {1 << 2, 1 << 1, 1 << 3, 1 << 10, 1 << 11, 1 << 12, (1 << 2) | (1 << 1),
                                            (1 << 3) | (1 << 10), (1 << 3) | (1 << 10) | (1 << 11),
                                            (1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), (1 << 10) | (1 << 11),
                                            (1 << 10) | (1 << 11) | (1 << 12), (1 << 11) | (1 << 12), 0x7FFF};
      if (nargs > 2 || std::find(std::begin(kRanges), std::end(kRanges), args[0]) == std::end(kRanges))
        raise(sqlstate::kInvalidParameterValue, "invalid INTERVAL type modifier");
      if (nargs == 1) return args[0] == 0x7FFF ? -1 : (args[0] << 16) | 0xFFFF;
      if (args[1] < 0) raise(sqlstate::kInvalidParameterValue, "INTERVAL({}) precision must not be negative", args[1]);
      return (args[0] << 16) | (args[1] > 6 ? 6 : args[1]);
    }
    default:
      raise(sqlstate::kSyntaxError, "type modifier is not allowed for type \"{}\"", info(t).name);
  }
}

}  // namespace heliosdb::types
