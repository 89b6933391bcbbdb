// The system catalogs as PostgreSQL 15 shows them: every relation of pg_catalog and
// information_schema, with PostgreSQL's OIDs, column names and types. Their rows are computed
// when read, from the catalog and the session (SessionServices::system_rows); a relation for a
// feature HeliosDB Nano does not have is empty.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/roles.h"

namespace heliosdb::catalog {

struct SystemView {
  std::string schema;  // "pg_catalog" or "information_schema"
  std::string name;
  uint32_t oid = 0;    // pg_class.oid, as in PostgreSQL 15
  char relkind = 'r';  // 'r' a catalog table, 'v' a view
  uint32_t row_type = 0, row_array_type = 0;  // pg_class.reltype and its array type
  bool has_index = false, shared = false;     // relhasindex; relisshared (in pg_global)
  char replident = 'n';                       // relreplident
  Ownership access;                           // relacl
  std::string options;                        // reloptions, comma-separated ("" none)
  std::vector<std::pair<std::string, uint32_t>> columns;  // name, type OID
  std::vector<uint32_t> declared_types;       // per column: the domain it is declared with, else its type

  int column(std::string_view name) const;  // -1 when absent
};

// One of information_schema's domains (sql_identifier, cardinal_number, ...): its columns are
// declared with them, and their values are of the base type.
struct SystemDomain {
  std::string schema, name;
  uint32_t oid = 0, array_oid = 0;
  uint32_t base_type = 0;
  int32_t base_typmod = -1;
  uint32_t collation = 0;
  std::string default_text;  // typdefault, "" when none
};
const std::vector<SystemDomain>& system_domains();
// The system domain whose type or array type is oid, nullptr when none.
const SystemDomain* find_system_domain(uint32_t oid);
// The system relation whose row type or row array type is oid, nullptr when none.
const SystemView* find_system_row_type(uint32_t oid);

// The relation `name` of `schema` (pg_catalog when empty), or nullptr.
const SystemView* find_system_view(std::string_view schema, std::string_view name);
const SystemView* find_system_view(uint32_t oid);
const std::vector<SystemView>& system_views();

// OIDs of the objects every database has, as PostgreSQL 15 numbers them.
inline constexpr uint32_t kPgCatalogNamespace = 11;
inline constexpr uint32_t kSqlLanguage = 14, kPlpgsqlLanguage = 13563;  // pg_language
inline constexpr uint32_t kPlpgsqlExtension = 13559;                     // pg_extension
inline constexpr uint32_t kPublicNamespace = 2200;
inline constexpr uint32_t kInformationSchemaNamespace = 13207;
inline constexpr uint32_t kPgToastNamespace = 99;
inline constexpr uint32_t kBootstrapSuperuser = 10;  // the role that owns everything
inline constexpr uint32_t kDatabaseOwnerRole = 6171;  // pg_database_owner (owns schema public)
inline constexpr uint32_t kHeapAm = 2, kBtreeAm = 403;
inline constexpr uint32_t kDefaultCollation = 100, kCCollation = 950, kPosixCollation = 951;
inline constexpr uint32_t kDefaultTablespace = 1663, kGlobalTablespace = 1664;
inline constexpr uint32_t kPgClassOid = 1259, kPgConstraintOid = 2606, kPgTypeOid = 1247, kPgProcOid = 1255,
                          kPgNamespaceOid = 2615, kPgAttrdefOid = 2604, kPgDatabaseOid = 1262;

// The namespace OID of a schema name, and back ("pg_temp_3" has its own OID; 0 / "" unknown).
uint32_t namespace_oid(std::string_view schema);
class Catalog;
// The schemas a search_path setting names, in order ("$user" is the user's name), and of those
// the ones that exist (built in, or in catalog when given).
std::vector<std::string> search_path_names(std::string_view setting, std::string_view user);
std::vector<std::string> search_path(std::string_view setting, std::string_view user, const Catalog* catalog = nullptr);
// Throws 3F000 when a (qualifying) schema name names no schema; "" and "pg_temp" always exist.
void check_schema(std::string_view schema, const Catalog* catalog = nullptr);
std::string namespace_name(uint32_t oid);

// The functions pg_proc lists: each type's input, output, receive and send functions (named
// as in PostgreSQL: int4in, numeric_in, array_in, ...) and the access methods' handlers. They
// are what pg_type.typinput & co. and pg_am.amhandler name.
struct ProcInfo {
  uint32_t oid;
  std::string name;
  uint32_t result;
  std::vector<uint32_t> args;
};
// The name of a PostgreSQL 15 type that columns of the catalogs have but HeliosDB Nano has no
// values of (inet, pg_lsn, ...), nullptr for any other OID. format_type and regtype show it.
const char* unimplemented_type_name(uint32_t oid);
// initdb's comment on a built-in type ("boolean, 'true'/'false'"), nullptr when none.
const char* builtin_type_description(uint32_t oid);
const std::vector<ProcInfo>& catalog_procs();
const ProcInfo* find_proc(uint32_t oid);
const ProcInfo* find_proc(std::string_view name);
// The OID of a type's I/O function (kind 0 input, 1 output, 2 receive, 3 send), 0 when none.
uint32_t type_io_proc(uint32_t type, int kind);
uint32_t am_handler_proc(uint32_t am);

// OIDs of objects that are not catalog entries of their own here: a CHECK constraint is the
// k-th of its table, a column default belongs to its column (PostgreSQL numbers them from its
// OID counter; these are stable and distinct from table, index and sequence OIDs).
uint32_t check_constraint_oid(uint32_t table_id, size_t k);
uint32_t foreign_key_oid(uint32_t table_id, size_t k);  // the k-th foreign key of its table
uint32_t attrdef_oid(uint32_t table_id, int attnum);
// A table's row type and the array of it (pg_class.reltype; pg_type rows of typtype 'c').
uint32_t row_type_oid(uint32_t table_id);
uint32_t row_array_type_oid(uint32_t table_id);
std::pair<uint32_t, bool> decode_row_type_oid(uint32_t oid);  // (table, is the array type) or (0, false)
// The (table, k) / (table, attnum) such an OID encodes, or (0, 0).
std::pair<uint32_t, size_t> decode_check_constraint_oid(uint32_t oid);
std::pair<uint32_t, size_t> decode_foreign_key_oid(uint32_t oid);
std::pair<uint32_t, int> decode_attrdef_oid(uint32_t oid);

}  // namespace heliosdb::catalog
