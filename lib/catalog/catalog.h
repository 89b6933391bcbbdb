// The catalog: tables, columns, indexes, constraints and sequences of one database.
// A Catalog is an immutable snapshot shared by readers; DDL copies it, changes the copy inside
// its transaction and publishes it on commit, so DDL is transactional like PostgreSQL's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/roles.h"
#include "catalog/statistics.h"
#include "common/types.h"
#include "heliosdb/value.h"

namespace heliosdb::storage { class Transaction; }

namespace heliosdb::catalog {

inline constexpr uint32_t kFirstObjectId = 16384;  // PostgreSQL's FirstNormalObjectId

struct ColumnDef {
  uint32_t id = 0;            // stable id stored in rows (never reused)
  std::string name;
  uint32_t type = 0;          // type OID (a domain's base type)
  int32_t typmod = -1;
  uint32_t domain = 0;        // the domain the column was declared with, 0 when none
  bool not_null = false;
  std::string default_expr;   // parse tree (libpg_query JSON) of DEFAULT (or of GENERATED ... AS), empty when none
  bool generated = false;     // GENERATED ALWAYS AS (default_expr) STORED: computed from the row
  uint32_t identity_seq = 0;  // sequence behind SERIAL / IDENTITY, 0 when none
  char identity = 0;          // 'a' ALWAYS, 'd' BY DEFAULT, 0 none (serial is a default)
  Value missing;              // value of rows stored before ADD COLUMN ... DEFAULT
  std::string comment;        // COMMENT ON COLUMN
  // Inheritance (pg_attribute.attinhcount / attislocal): how many parents give the column, and
  // whether the table declares it itself too (a column it only inherits goes with its parents).
  int32_t inhcount = 0;
  bool islocal = true;
};

struct CheckDef {
  std::string name;
  std::string expr;  // parse tree (libpg_query JSON)
  bool validated = true;  // false: added NOT VALID, the rows there were then are unchecked
  std::string comment;    // COMMENT ON CONSTRAINT
  // Inheritance (pg_constraint.coninhcount / conislocal / connoinherit): how many parents give
  // the constraint, whether the table declares it itself too, and NO INHERIT (children do not
  // get it).
  int32_t inhcount = 0;
  bool islocal = true;
  bool noinherit = false;
};

// FOREIGN KEY (columns) REFERENCES ref_table (ref_columns): the referenced columns are those of
// a unique index (or the primary key) of ref_table, ref_index.
struct ForeignKeyDef {
  std::string name;
  std::vector<uint32_t> columns;      // referencing column ids, of this table
  uint32_t ref_table = 0;
  std::vector<uint32_t> ref_columns;  // referenced column ids, in the order of `columns`
  uint32_t ref_index = 0;
  char match = 's';                   // 's' SIMPLE, 'f' FULL
  char on_update = 'a', on_delete = 'a';  // 'a' NO ACTION, 'r' RESTRICT, 'c' CASCADE, 'n' SET NULL, 'd' SET DEFAULT
  bool deferrable = false, deferred = false;  // deferred: INITIALLY DEFERRED
  bool validated = true;  // false: added NOT VALID, the rows there were then are unchecked
  std::string comment;    // COMMENT ON CONSTRAINT
};

// pg_index.indoption bits of a key: DESC, NULLS FIRST (what the declared order says; the index's
// entries are kept ascending whatever it is, and scans read them either way).
inline constexpr int16_t kIndexDesc = 1, kIndexNullsFirst = 2;

struct IndexDef {
  uint32_t id = 0;
  std::string name;
  uint32_t table_id = 0;
  std::vector<uint32_t> columns;  // column ids; 0 for a key that is an expression (see exprs)
  std::vector<std::string> exprs; // empty, or per key: its expression (parse tree JSON) where columns has 0
  std::string predicate;          // WHERE of a partial index (parse tree JSON), empty for none
  std::vector<int16_t> options;   // empty, or per key: pg_index.indoption (kIndexDesc | kIndexNullsFirst)
  bool unique = false;
  bool primary = false;
  bool is_constraint = false;     // created by PRIMARY KEY / UNIQUE (dropped with the table)
  // A DEFERRABLE constraint's index (pg_index.indimmediate false): checked at the statement's end
  // or, deferred, at commit, so it may hold a key twice meanwhile: its entries end with the row's
  // key like a non-unique index's. A deferrable primary key's table is keyed by a hidden row id
  // (TableDef::primary_key stays empty) and its index is kept like any other.
  bool deferrable = false, deferred = false;  // deferred: INITIALLY DEFERRED
  // NULLS NOT DISTINCT (pg_index.indnullsnotdistinct): a unique key holding NULLs collides with
  // an equal one like any other key, as PostgreSQL 15 does.
  bool nulls_not_distinct = false;
  std::string comment;
  std::string constraint_comment;  // COMMENT ON CONSTRAINT of its PRIMARY KEY / UNIQUE
  // Only plain indexes serve lookups by column values (access paths, foreign keys, ON CONFLICT).
  bool plain() const { return exprs.empty() && predicate.empty(); }
};

// CREATE TRIGGER: a function run for each row (or once per statement) that INSERT, UPDATE or
// DELETE changes in a table. Kept with its table.
struct TriggerDef {
  uint32_t id = 0;                 // pg_trigger.oid
  std::string name;
  uint32_t function = 0;           // the trigger function (FunctionDef id)
  int events = 0;                  // kTriggerInsert | kTriggerDelete | kTriggerUpdate
  bool before = false;             // BEFORE, else AFTER
  bool row = true;                 // FOR EACH ROW, else FOR EACH STATEMENT
  std::vector<uint32_t> columns;   // UPDATE OF: column ids (empty: any)
  std::string when;                // WHEN (condition): parse tree JSON, empty when none
  std::vector<std::string> args;   // TG_ARGV
  bool enabled = true;             // ALTER TABLE ... DISABLE TRIGGER
};
// CREATE RULE name AS ON event TO relation [WHERE qual] DO [ALSO | INSTEAD] actions: kept with
// its relation (pg_rewrite). The views' own _RETURN rules are not stored here.
struct RuleDef {
  uint32_t id = 0;          // pg_rewrite.oid
  std::string name;
  char event = '3';         // pg_rewrite.ev_type: '2' UPDATE, '3' INSERT, '4' DELETE
  bool instead = false;
  std::string qual;         // WHERE: parse tree (libpg_query JSON), empty when none
  std::string actions;      // JSON array of the action statements' parse trees (empty array: NOTHING)
  std::string definition;   // pg_get_ruledef's text
};

inline constexpr int kTriggerInsert = 4, kTriggerDelete = 8, kTriggerUpdate = 16;  // pg_trigger.tgtype bits
// pg_trigger.tgtype: ROW 1, BEFORE 2, and the event bits.
inline int trigger_type(const TriggerDef& t) { return (t.row ? 1 : 0) | (t.before ? 2 : 0) | t.events; }

struct TableDef {
  uint32_t id = 0;
  std::string schema = "public";
  std::string name;
  std::vector<ColumnDef> columns;
  std::vector<uint32_t> primary_key;  // column ids; empty: rows keyed by a hidden row id
  std::vector<CheckDef> checks;
  std::vector<ForeignKeyDef> foreign_keys;
  std::vector<uint32_t> indexes;      // index ids, including the primary key's
  uint32_t next_column_id = 1;
  std::string comment;
  // A view: its query (the SelectStmt's parse tree, JSON, relation names qualified), the text
  // pg_get_viewdef gives, and the relations it reads. Empty for a table.
  std::string view_query;
  std::string view_definition;
  std::vector<uint32_t> view_depends;
  Ownership access;  // owner and GRANTs (relowner, relacl)
  // A materialized view: a table whose rows are its query's as of the last REFRESH (the query
  // qualified like a view's; view_definition holds its text). Empty for anything else.
  std::string matview_query;
  bool populated = true;  // false after WITH NO DATA: reading it fails until a REFRESH
  // CREATE UNLOGGED TABLE: reported as unlogged (relpersistence 'u'), but written like any table:
  // it survives a crash, which PostgreSQL does not promise.
  bool unlogged = false;
  std::vector<TriggerDef> triggers;  // in name order (the order they fire in)
  std::vector<RuleDef> rules;        // in name order (the order they are applied in)
  // Inheritance (pg_inherits): the tables this one inherits from, in order (INHERITS (a, b), or
  // the partitioned table of PARTITION OF). A partitioned table (PARTITION BY) keeps its key
  // (the PartitionSpec parse tree, JSON) and stores no rows; a partition keeps its bound (the
  // PartitionBoundSpec parse tree, JSON).
  std::vector<uint32_t> parents;
  std::string partition_key;
  std::string partition_bound;

  bool is_view() const { return !view_query.empty(); }
  bool is_matview() const { return !matview_query.empty(); }
  bool is_partitioned() const { return !partition_key.empty(); }
  bool is_partition() const { return !partition_bound.empty(); }
  // pg_class.relpersistence: 't' temporary, 'u' unlogged, 'p' permanent.
  char persistence() const { return schema.starts_with("pg_temp") ? 't' : unlogged ? 'u' : 'p'; }
  // pg_get_viewdef's text: the query as libpg_query deparses it (PostgreSQL's own layout, which
  // qualifies and indents each column, is not reproduced), with its leading space and semicolon.
  std::string view_text() const { return " " + view_definition + ";"; }
  int column_index(std::string_view name) const;  // -1 when absent
  int column_index_by_id(uint32_t id) const;
  std::vector<std::string> column_names(const std::vector<uint32_t>& ids) const;  // of columns by id (an index's)
};

struct SequenceDef {
  uint32_t id = 0;
  std::string schema = "public";
  std::string name;
  uint32_t type = oid::kInt8;
  int64_t start = 1, increment = 1, min = 1, max = INT64_MAX, cache = 1;
  bool cycle = false;
  uint32_t owner_table = 0, owner_column = 0;
  std::string comment;
  Ownership access;
};

// A schema made by CREATE SCHEMA (public, pg_catalog, information_schema and the temporary
// schemas are built in).
struct SchemaDef {
  uint32_t id = 0;
  std::string name;
  std::string comment;
  Ownership access;
};

// A type of CREATE TYPE ... AS ENUM, CREATE TYPE ... AS (attributes) or CREATE DOMAIN.
struct TypeDef {
  uint32_t id = 0;
  uint32_t array_id = 0;              // its array type ("_name"), for enums
  std::string schema = "public";
  std::string name;
  char kind = 'e';                    // pg_type.typtype: 'e' enum, 'd' domain, 'c' composite
  std::shared_ptr<const types::EnumType> enum_type;  // kind 'e': labels and sort orders
  std::shared_ptr<const types::CompositeType> composite;  // kind 'c': its attributes
  // kind 'd': the base type and what the domain adds to it
  uint32_t base_type = 0;
  int32_t base_typmod = -1;
  bool not_null = false;
  std::string default_expr;           // parse tree (libpg_query JSON), empty when none
  std::vector<CheckDef> checks;       // VALUE is the value checked
  uint32_t collation = 0;             // typcollation of information_schema's domains; 0: the base type's
  std::string comment;
  Ownership access;
};

// CREATE FUNCTION of LANGUAGE sql or plpgsql.
struct FunctionDef {
  uint32_t id = 0;
  std::string schema = "public";
  std::string name;
  std::vector<std::string> arg_names;  // "" for an unnamed argument
  std::vector<uint32_t> arg_types;
  std::vector<std::string> arg_defaults;  // per argument: DEFAULT's parse tree (JSON), "" for none
  std::string arg_modes;                  // per argument: 'i' IN, 'b' INOUT (of a procedure); "" all IN
  uint32_t ret_type = oid::kVoid;      // 2279 for a trigger function; record for RETURNS TABLE of several
  bool returns_set = false;            // SETOF / RETURNS TABLE
  std::vector<std::pair<std::string, uint32_t>> table_columns;  // RETURNS TABLE (name type, ...)
  std::string language;                // "sql" or "plpgsql"
  std::string body;                    // prosrc
  std::string definition;              // the CREATE FUNCTION statement (what PL/pgSQL's parser reads)
  char volatility = 'v';               // 'i', 's', 'v'
  bool strict = false;
  std::string comment;
  Ownership access;
  // 'f' function, 'p' procedure (CALL; ret_type void, or record of its INOUT arguments).
  // CREATE AGGREGATE (pg_proc.prokind 'a', its pg_aggregate row): arg_types are the aggregated
  // arguments; ret_type the final function's result (the state type without one).
  char kind = 'f';
  struct Aggregate {
    std::string sfunc;          // the transition function: a built-in's name when sfunc_id is 0
    uint32_t sfunc_id = 0;      // else a function of CREATE FUNCTION
    std::string finalfunc;      // "" for none; a built-in's name when finalfunc_id is 0
    uint32_t finalfunc_id = 0;
    uint32_t stype = 0;
    bool has_initcond = false;
    std::string initcond;
  } agg;
};

// The columns of a function's result rows: RETURNS TABLE's, a row type's fields (SETOF a table),
// or one column named after the function.
std::vector<std::pair<std::string, uint32_t>> result_columns(const FunctionDef& f);

// CREATE EXTENSION of one whose functions are built in (uuid-ossp, pgcrypto, plpgsql).
struct ExtensionDef {
  uint32_t id = 0;
  std::string name;
  std::string version;
  std::string schema = "public";
};

// The search path. An empty schema in the lookups below means an unqualified name: it is looked
// up in the running session's temporary schema ("pg_temp_N", where its TEMP tables live) first,
// then in the schemas of its search_path ("public" when none is set). "pg_temp" names that
// temporary schema. The session sets both for the thread that runs its statement (TempSchemaScope).
const std::string& temp_schema();
const std::vector<std::string>& search_path_schemas();  // as set: existing or not, "$user" resolved
class TempSchemaScope {
 public:
  explicit TempSchemaScope(const std::string* schema, const std::vector<std::string>* search_path = nullptr);
  ~TempSchemaScope();
  TempSchemaScope(const TempSchemaScope&) = delete;
  TempSchemaScope& operator=(const TempSchemaScope&) = delete;

 private:
  const std::string* saved_;
  const std::vector<std::string>* saved_path_;
};

class Catalog {
 public:
  uint64_t version() const { return version_; }

  // The schema an (unqualified or pg_temp) name is found in, per the search path.
  std::string resolve_schema(const std::string& schema, const std::string& name) const;
  // Where CREATE puts an unqualified name: the first existing schema of the search path ("" when
  // none: 3F000 for the caller).
  std::string creation_schema() const;
  // Schemas: the built-in ones and those of CREATE SCHEMA. 0 / "" when there is none.
  uint32_t schema_oid(std::string_view name) const;
  std::string schema_name(uint32_t oid) const;
  const std::map<std::string, std::shared_ptr<const SchemaDef>>& schemas() const { return schemas_; }
  const std::map<std::string, ExtensionDef>& extensions() const { return extensions_; }
  std::shared_ptr<const TableDef> table(const std::string& schema, const std::string& name) const;
  std::shared_ptr<const TableDef> table(uint32_t id) const;
  std::shared_ptr<const IndexDef> index(const std::string& schema, const std::string& name) const;
  std::shared_ptr<const IndexDef> index(uint32_t id) const;
  std::shared_ptr<const SequenceDef> sequence(const std::string& schema, const std::string& name) const;
  std::shared_ptr<const SequenceDef> sequence(uint32_t id) const;
  // Types of CREATE TYPE / CREATE DOMAIN, by name (schema "" follows the search path) or by the
  // OID of the type or of its array type.
  std::shared_ptr<const TypeDef> type(const std::string& schema, const std::string& name) const;
  std::shared_ptr<const TypeDef> type(uint32_t oid) const;
  const std::map<uint32_t, std::shared_ptr<const TypeDef>>& types() const { return types_; }
  // Functions of CREATE FUNCTION: by OID, or every overload of a name in a schema ("": along the
  // search path, the first schema that has one).
  std::shared_ptr<const FunctionDef> function(uint32_t id) const;
  std::vector<std::shared_ptr<const FunctionDef>> functions(const std::string& schema, const std::string& name) const;
  const std::map<uint32_t, std::shared_ptr<const FunctionDef>>& functions() const { return functions_; }
  // Whether a relation-like name (table, index, sequence, view) is taken in schema.
  bool relation_exists(const std::string& schema, const std::string& name) const;
  const std::map<uint32_t, std::shared_ptr<const TableDef>>& tables() const { return tables_; }
  // The tables that inherit from table id directly (its partitions, for a partitioned table),
  // in creation order.
  std::vector<std::shared_ptr<const TableDef>> children(uint32_t id) const;
  const std::map<uint32_t, std::shared_ptr<const IndexDef>>& indexes() const { return indexes_; }
  const std::map<uint32_t, std::shared_ptr<const SequenceDef>>& sequences() const { return sequences_; }
  // ANALYZE's statistics of a table, or nullptr when it has none (never analyzed or vacuumed).
  std::shared_ptr<const TableStatistics> statistics(uint32_t table_id) const;
  // The database's live row counts (shared by its catalog snapshots; null for a catalog of no
  // database).
  const std::shared_ptr<TableActivity>& activity() const { return activity_; }
  void set_activity(std::shared_ptr<TableActivity> a) { activity_ = std::move(a); }

  // Mutations, for a private copy inside a DDL transaction; each writes through to txn.
  uint32_t allocate_id(storage::Transaction& txn);
  void put_table(storage::Transaction& txn, TableDef t);
  void drop_table(storage::Transaction& txn, uint32_t id);
  void put_index(storage::Transaction& txn, IndexDef i);
  void drop_index(storage::Transaction& txn, uint32_t id);
  void put_sequence(storage::Transaction& txn, SequenceDef s);
  void drop_sequence(storage::Transaction& txn, uint32_t id);
  void put_function(storage::Transaction& txn, FunctionDef f);
  void drop_function(storage::Transaction& txn, uint32_t id);
  void put_type(storage::Transaction& txn, TypeDef t);
  void drop_type(storage::Transaction& txn, uint32_t id);
  void put_schema(storage::Transaction& txn, SchemaDef s);
  void drop_schema(storage::Transaction& txn, const std::string& name);
  void put_extension(storage::Transaction& txn, ExtensionDef e);
  // Owner and ACL of a schema, built in (public: pg_database_owner's, USAGE for PUBLIC) or not.
  Ownership schema_access(const std::string& name) const;
  // A built-in schema's, as a new database has it (pg_init_privs).
  static Ownership initial_schema_access(const std::string& name);
  void set_schema_access(storage::Transaction& txn, const std::string& name, Ownership access);
  void drop_extension(storage::Transaction& txn, const std::string& name);
  // Statistics: written with the transaction, like any catalog change. A table's go when it is
  // dropped, a column's when it is dropped (put_table without it); drop_column_statistics is
  // for ALTER COLUMN TYPE.
  void put_statistics(storage::Transaction& txn, uint32_t table_id, TableStatistics s);
  void drop_column_statistics(storage::Transaction& txn, uint32_t table_id, uint32_t column_id);
  void bump_version() { ++version_; }

  // Loads the catalog stored in the database (empty for a new one).
  static std::shared_ptr<Catalog> load(storage::Transaction& txn);

 private:
  uint64_t version_ = 1;
  uint32_t next_id_ = kFirstObjectId;
  std::map<uint32_t, std::shared_ptr<const TableDef>> tables_;
  std::map<uint32_t, std::shared_ptr<const IndexDef>> indexes_;
  std::map<uint32_t, std::shared_ptr<const SequenceDef>> sequences_;
  std::map<std::string, uint32_t> relation_names_;  // "schema.name" -> id
  std::map<uint32_t, std::shared_ptr<const TypeDef>> types_;
  std::map<uint32_t, std::shared_ptr<const FunctionDef>> functions_;
  std::map<std::string, uint32_t> type_names_;      // "schema.name" -> id
  std::map<uint32_t, uint32_t> array_types_;        // array type OID -> type id
  std::map<std::string, std::shared_ptr<const SchemaDef>> schemas_;
  std::map<std::string, ExtensionDef> extensions_;
  std::optional<Ownership> public_access_;  // set once GRANT / REVOKE changed schema public's ACL
  std::map<uint32_t, std::shared_ptr<const TableStatistics>> statistics_;  // by table id
  std::shared_ptr<TableActivity> activity_;
};

}  // namespace heliosdb::catalog
