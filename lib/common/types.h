// The type registry: what the engine knows of each built-in type, keyed by PostgreSQL OID.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heliosdb/value.h"

namespace heliosdb::types {

// How a type behaves in implicit casts and operator resolution (PostgreSQL's typcategory).
enum class Category : char {
  kBoolean = 'B', kNumeric = 'N', kString = 'S', kDateTime = 'D', kTimespan = 'T',
  kUser = 'U', kUnknown = 'X', kBitString = 'V', kPseudo = 'P', kArray = 'A', kEnum = 'E', kComposite = 'C',
};

struct TypeInfo {
  uint32_t oid;
  const char* name;        // pg_type.typname: "int4", "varchar", "timestamptz"
  const char* sql_name;    // format_type(): "integer", "character varying", ...
  Category category;
  int16_t length;          // typlen: fixed size in bytes, -1 for variable
  bool preferred;          // typispreferred within its category
  uint32_t array_oid;      // the type's array type (typarray), 0 when none
};

// Registry entry for oid, or nullptr for a type we do not know. Besides the built-in types it
// knows the enums (and their array types) of the running statement's catalog (UserTypesScope).
const TypeInfo* find(uint32_t oid);
// Every type of the registry.
std::vector<uint32_t> all_oids();
// Same, throwing XX000 for an unknown OID.
const TypeInfo& info(uint32_t oid);

// Resolves a type name as written in SQL (already lower-cased, pg_catalog prefix removed):
// "int", "integer", "int4", "character varying", "timestamptz", "double precision", ...
// Returns std::nullopt when unknown.
std::optional<uint32_t> lookup(std::string_view name);

// format_type(oid, typmod): "character varying(10)", "numeric(10,2)", "timestamp(3) without time zone".
std::string format_type(uint32_t oid, int32_t typmod);

// format_type_with_typemod: the same, but char without a length prints "bpchar" (what a
// ::type label needs; "character" would mean character(1)).
std::string format_type_with_typmod(uint32_t oid, int32_t typmod);

// Builds the typmod for `name(args)` as PostgreSQL does (varchar(n) -> n+4,
// numeric(p,s) -> ((p<<16)|s)+4, timestamp(p) -> p); throws 22023/42601 like PostgreSQL on bad
// modifiers.
int32_t make_typmod(uint32_t oid, const int32_t* args, int nargs);

// pg_type.oid of anyenum, the pseudo-type of the enum operators and functions.
inline constexpr uint32_t kAnyEnum = 3500;
inline constexpr uint32_t kFirstUserOid = 16384;  // PostgreSQL's FirstNormalObjectId

// A type made by CREATE TYPE ... AS ENUM. Values of it are Value strings holding the label; they
// order by the labels' sort order. Immutable once shared (make_enum); ALTER TYPE makes a new one.
struct EnumType {
  uint32_t oid = 0, array_oid = 0;
  std::string schema, name, array_name;  // array_name: "_" + name
  std::vector<std::string> labels;       // in sort order
  std::vector<float> sortorders;         // pg_enum.enumsortorder, ascending, one per label
  std::vector<uint32_t> label_oids;      // pg_enum.oid, one per label
  TypeInfo info{}, array_info{};         // their names point into this object
  int label_index(std::string_view label) const;  // position in sort order, -1 when not a label
};
// Fills e's TypeInfo entries and shares it.
std::shared_ptr<const EnumType> make_enum(EnumType e);

// The fields of a row type: names, types and typmods.
struct RowShape {
  std::vector<std::string> names;
  std::vector<uint32_t> types;
  std::vector<int32_t> typmods;
  size_t size() const { return names.size(); }
  bool operator==(const RowShape&) const = default;
};

// A composite type: a table's row type (pg_class.reltype) or one of CREATE TYPE ... AS (...).
// Values of it are records (common/record.h). Immutable once shared (make_composite).
struct CompositeType {
  uint32_t oid = 0, array_oid = 0;
  uint32_t relid = 0;                    // pg_type.typrelid: the table, or the type's own pg_class entry
  std::string schema, name, array_name;  // array_name: "_" + name
  RowShape shape;                        // the attributes, in order (a domain's: its base type)
  std::vector<uint32_t> domains;         // per attribute, the domain it was declared with (0: none); empty: none
  TypeInfo info{}, array_info{};         // their names point into this object
  uint32_t domain(size_t i) const { return i < domains.size() ? domains[i] : 0; }
};
// Fills c's TypeInfo entries and shares it.
std::shared_ptr<const CompositeType> make_composite(CompositeType c);

// The user-defined types the running statement sees: its session's catalog provides them.
class UserTypes {
 public:
  virtual ~UserTypes() = default;
  // The enum whose type or array type has this oid, nullptr when none.
  virtual const EnumType* enum_type(uint32_t oid) const = 0;
  // The composite type whose type or array type has this oid, nullptr when none.
  virtual const CompositeType* composite_type(uint32_t) const { return nullptr; }
  // How format_type names an enum or domain: quoted as needed, with its schema when not on the
  // search path ("" when oid is neither).
  virtual std::string type_name(uint32_t oid) const = 0;
  // Raises 23502/23514 unless v satisfies the domain's NOT NULL and CHECK constraints.
  virtual void check_domain(uint32_t domain, const Value& v) const = 0;
};
// Sets the user types for the thread that runs a statement, for its lifetime.
class UserTypesScope {
 public:
  explicit UserTypesScope(const UserTypes* types);
  ~UserTypesScope();
  UserTypesScope(const UserTypesScope&) = delete;
  UserTypesScope& operator=(const UserTypesScope&) = delete;

 private:
  const UserTypes* saved_;
};
// The enum whose type (or array type) is oid, nullptr when none.
const EnumType* find_enum(uint32_t oid);
// The enum of type oid itself (not its array type), nullptr when oid is not an enum.
inline const EnumType* enum_of(uint32_t oid) {
  if (oid < kFirstUserOid) return nullptr;
  const EnumType* e = find_enum(oid);
  return e && e->oid == oid ? e : nullptr;
}

// The composite type whose type (or array type) is oid, nullptr when none.
const CompositeType* find_composite(uint32_t oid);
// Raises 23502/23514 unless v satisfies the domain's constraints (the running statement's
// catalog's domain; nothing to check without one).
void check_domain(uint32_t domain, const Value& v);

// The composite type of oid itself (not its array type), nullptr when oid is not one.
inline const CompositeType* composite_of(uint32_t oid) {
  if (oid < kFirstUserOid) return nullptr;
  const CompositeType* c = find_composite(oid);
  return c && c->oid == oid ? c : nullptr;
}

inline bool is_integer(uint32_t t) { return t == oid::kInt2 || t == oid::kInt4 || t == oid::kInt8; }
inline bool is_float(uint32_t t) { return t == oid::kFloat4 || t == oid::kFloat8; }
inline bool is_numeric_family(uint32_t t) { return is_integer(t) || is_float(t) || t == oid::kNumeric; }
inline bool is_string(uint32_t t) {
  return t == oid::kText || t == oid::kVarchar || t == oid::kBpchar || t == oid::kName ||
         t == oid::kUnknownType;
}
// A pseudo-type (pg_type.typtype 'p': record, void, any*, trigger, unknown, record[] ...): no
// column may have one.
inline bool is_pseudo(uint32_t t) {
  const TypeInfo* ti = find(t);
  return t == oid::kUnknownType || t == 2287 || (ti && ti->category == Category::kPseudo);
}
// The reg* types: an OID that prints as the name of what it identifies.
inline bool is_reg(uint32_t t) {
  return t == oid::kRegclass || t == oid::kRegtype || t == oid::kRegproc || t == oid::kRegnamespace ||
         t == oid::kRegrole || t == oid::kRegprocedure;
}
inline bool is_timestamp(uint32_t t) { return t == oid::kTimestamp || t == oid::kTimestamptz; }

}  // namespace heliosdb::types
