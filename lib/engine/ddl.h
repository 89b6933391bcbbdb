// Data definition: CREATE/DROP TABLE, INDEX and SEQUENCE, TRUNCATE, ALTER SEQUENCE, ALTER TABLE,
// RENAME.
// Runs inside the session's transaction on a private copy of the catalog.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "executor/expr.h"

namespace heliosdb::planner { class Binder; struct Plan; }

namespace heliosdb::engine {

class SessionImpl;
class ResultSink;

// Sends a NOTICE ("relation ... already exists, skipping") to the client.
void send_notice(ResultSink& sink, const char* sqlstate, std::string message);
// DROP ... CASCADE's NOTICE of what went with it ("view v", "constraint c on table t"): one
// line, or "drop cascades to N other objects" with the list as its detail.
void send_cascade_notice(ResultSink& sink, const std::vector<std::string>& objects);

// Column constraints and table constraints read from CREATE TABLE or ALTER TABLE ... ADD, made
// into catalog objects once all are read (DdlExecutor::add_elements).
struct TableElements {
  struct Key {
    std::vector<std::string> columns;
    bool primary = false;
    std::string name;  // empty: chosen like PostgreSQL's
    bool deferrable = false, deferred = false;  // DEFERRABLE, INITIALLY DEFERRED
    bool nulls_not_distinct = false;            // UNIQUE NULLS NOT DISTINCT
  };
  struct Check {
    std::string name;  // empty: chosen like PostgreSQL's
    std::string expr;  // parse tree (libpg_query JSON)
    bool validate = true;  // false: NOT VALID
    bool noinherit = false;  // NO INHERIT
  };
  struct Serial {  // the sequence behind a SERIAL or IDENTITY column
    uint32_t column_id;
    bool identity;
    boost::json::array options;
  };
  std::vector<Key> keys;
  std::vector<Check> checks;
  std::vector<Serial> serials;
  struct ForeignKey {
    boost::json::object constraint;  // the Constraint node
    std::string column;              // a column constraint's column (its fk_attrs are empty)
  };
  std::vector<ForeignKey> foreign_keys;
  // CREATE TABLE: a CHECK named like an inherited one with the same expression merges with it
  // (a NOTICE to `notices`) rather than failing.
  bool merge_checks = false;
  ResultSink* notices = nullptr;
};

class DdlExecutor {
 public:
  // sql: the whole query string (error positions); statement: this statement's own text.
  DdlExecutor(SessionImpl& session, std::string_view sql, std::string_view statement = {})
      : s_(session), sql_(sql), statement_(statement) {}
  void run(std::string_view type, const boost::json::object& n, ResultSink& sink);

 private:
  void create_table(const boost::json::object& n, ResultSink& sink);
  void create_table_as(const boost::json::object& n, ResultSink& sink);
  void create_index(const boost::json::object& n, ResultSink& sink);
  void create_sequence(const boost::json::object& n, ResultSink& sink);
  void alter_sequence(const boost::json::object& n, ResultSink& sink);
  // ALTER SEQUENCE's options (RESTART included) on seq, stored: also ALTER COLUMN ... SET of an
  // identity column.
  void alter_sequence_options(catalog::SequenceDef seq, const boost::json::array& options);
  void drop(const boost::json::object& n, ResultSink& sink);
  void truncate(const boost::json::object& n, ResultSink& sink);
  void alter_table(const boost::json::object& n, ResultSink& sink);
  void rename(const boost::json::object& n, ResultSink& sink);
  void alter_object_schema(const boost::json::object& n, ResultSink& sink);
  void create_schema(const boost::json::object& n, ResultSink& sink);
  void create_schema_elements(const std::string& schema, const boost::json::array& elements, ResultSink& sink);
  void create_extension(const boost::json::object& n, ResultSink& sink);
  void comment(const boost::json::object& n, ResultSink& sink);
  // DROP SCHEMA / DROP EXTENSION (the relation kinds are drop()'s).
  void drop_schemas(const boost::json::object& n, ResultSink& sink);
  void drop_extensions(const boost::json::object& n, ResultSink& sink);
  void delete_range(const std::string& prefix);
  std::string creation_schema(const boost::json::object& range_var);
  // ON COMMIT of CREATE TABLE (oncommit) for a table to be created in schema: only of TEMP tables
  // (42P16). DROP and DELETE ROWS are the session's to do when the transaction commits.
  void check_on_commit(std::string_view on_commit, const std::string& schema);
  void add_on_commit(std::string_view on_commit, const catalog::TableDef& t);
  void build_index(uint32_t index_id);
  // CREATE of a relation whose name is taken: false (42P07) unless IF NOT EXISTS, which skips
  // it with a NOTICE and completes the statement with tag (then true: nothing more to do).
  bool skip_existing(const catalog::Catalog& cat, const std::string& schema, const std::string& name, bool if_not_exists,
                     const char* tag, ResultSink& sink);
  catalog::ForeignKeyDef make_foreign_key(catalog::TableDef& t, const TableElements::ForeignKey& fk);
  // DROP TABLE / DROP COLUMN / DROP CONSTRAINT of what foreign keys of other tables need: 2BP01,
  // or with CASCADE those foreign keys go too (a NOTICE each).
  // Foreign keys of the tables in `also_dropped` do not count.
  void drop_referencing_keys(uint32_t table_id, const std::vector<uint32_t>& index_ids, bool cascade,
                             const std::string& what, ResultSink& sink, const std::vector<uint32_t>& also_dropped = {});

  // A ColumnDef node as a new column of t (its constraints go to elements).
  void read_column(catalog::TableDef& t, const boost::json::object& column_def, planner::Binder& binder,
                   TableElements& elements);
  // CREATE TABLE ... (LIKE source [INCLUDING ...]): the source's columns into t, its constraints
  // into elements, its other indexes (INCLUDING INDEXES) into indexes.
  void read_like(catalog::TableDef& t, const boost::json::object& like, planner::Binder& binder, TableElements& elements,
                 std::vector<std::shared_ptr<const catalog::IndexDef>>& indexes);
  // A Constraint node (of a column when column is given) into elements.
  void read_constraint(const boost::json::object& constraint, const std::string* column, TableElements& elements);
  // Makes the sequences, unique indexes, CHECK constraints and foreign keys elements ask for in t
  // (the indexes are stored, not yet built); returns the new indexes' ids.
  std::vector<uint32_t> add_elements(catalog::TableDef& t, TableElements& elements, planner::Binder& binder);
  // INHERITS / PARTITION OF, PARTITION BY (ddl_partition.cpp).
  void inherit(catalog::TableDef& t, const boost::json::object& create, planner::Binder& binder, TableElements& el,
               ResultSink& sink);
  void merge_column(catalog::TableDef& t, const boost::json::object& column_def, planner::Binder& binder, TableElements& el,
                    bool partition_of, ResultSink& sink);
  void set_partition_key(catalog::TableDef& t, const boost::json::object& spec, const TableElements& el,
                         planner::Binder& binder);
  // DROP TABLE of a table with children: its partitions go with it; tables inheriting from it
  // only with CASCADE (2BP01 otherwise).
  void drop_children(const catalog::TableDef& t, bool cascade, ResultSink& sink, std::vector<uint32_t>& dropping);
  // ALTER TABLE on a table with inheritance parents or children: the forms that are supported
  // (they recurse to the children), PostgreSQL's errors for the others.
  void check_hierarchy_alter(const catalog::TableDef& t, const boost::json::object& alter);
  // Inheritance bookkeeping of ALTER TABLE (ddl_inherit.cpp).
  // ALTER TABLE t INHERIT parent / NO INHERIT parent.
  void alter_inherit(const catalog::TableDef& t, const boost::json::object& cmd, ResultSink& sink);
  // Whether a command of a parent's ALTER TABLE goes on to `child` as the child's own
  // ALTER TABLE (cmd is then made the child's); false when this records what the change means to
  // the child itself (a column or constraint it keeps, merges with, or that is not inherited).
  // check_names: the names the parent's new CHECK constraints were given, in order.
  bool child_command(const catalog::TableDef& parent, const catalog::TableDef& child, boost::json::object& cmd,
                     const std::vector<std::string>& check_names, size_t& check_at, ResultSink& sink);
  // ALTER TABLE ONLY parent DROP COLUMN / DROP CONSTRAINT: the children keep theirs, as their own.
  void keep_in_children(const catalog::TableDef& parent, const boost::json::object& cmd);
  void attach_partition(const catalog::TableDef& parent, const boost::json::object& cmd, planner::Binder& binder,
                        ResultSink& sink);
  void set_partition_bound(catalog::TableDef& t, const boost::json::object& bound, planner::Binder& binder);
  // The table holding a row of `holder` (itself, or the leaf partition of it when it is
  // partitioned) that partition t's bounds hold (`held`) or do not hold, else null. Each leaf's
  // rows are read as its own: its columns may be in another order than t's parent's.
  std::shared_ptr<const catalog::TableDef> row_bounds(const catalog::TableDef& t,
                                                      std::shared_ptr<const catalog::TableDef> holder, bool held,
                                                      planner::Binder& binder);
  // Reads every row of the table as `old` stored it and checks it against the table as `now`
  // defines it (NOT NULL, CHECK). With rewrite, stores each again as now lays rows out (column i
  // computed by exprs[i] over the old row where given), under a new key when the primary key
  // changed, and rebuilds every index.
  void check_rows(const std::shared_ptr<const catalog::TableDef>& old, const std::shared_ptr<const catalog::TableDef>& now,
                  const std::vector<exec::ExprPtr>& exprs, bool rewrite);

  // Roles and privileges (ddl_roles.cpp).
  void create_role(const boost::json::object& n, ResultSink& sink);
  void alter_role(const boost::json::object& n, ResultSink& sink);
  void rename_role(const boost::json::object& n, ResultSink& sink);
  void alter_role_set(const boost::json::object& n, ResultSink& sink);  // ALTER ROLE ... SET / RESET
  void drop_roles(const boost::json::object& n, ResultSink& sink);
  void grant_role(const boost::json::object& n, ResultSink& sink);
  void grant(const boost::json::object& n, ResultSink& sink);
  // DROP OWNED BY (reassign false) / REASSIGN OWNED BY ... TO.
  void owned(const boost::json::object& n, bool reassign, ResultSink& sink);
  // OWNER TO newowner of an object of that kind ("table", "schema", ...): the current user must
  // own it and be able to SET ROLE to the new owner (unless a superuser).
  void change_owner(catalog::Ownership& access, const boost::json::object& newowner, std::string_view kind,
                    const std::string& name);

  // Functions and triggers (ddl_functions.cpp).
  void create_function(const boost::json::object& n, ResultSink& sink);
  void alter_function(const boost::json::object& n, ResultSink& sink);
  void create_aggregate(const boost::json::object& n, ResultSink& sink);
  // what: "function", or "aggregate" (DROP AGGREGATE) as messages name it.
  std::shared_ptr<const catalog::FunctionDef> find_function(const boost::json::object& object_with_args, bool missing_ok,
                                                           ResultSink& sink, const char* what = "function");
  void drop_functions(const boost::json::object& n, ResultSink& sink);
  void create_trigger(const boost::json::object& n, ResultSink& sink);
  void create_rule(const boost::json::object& n, ResultSink& sink);
  void drop_rules(const boost::json::object& n, ResultSink& sink);
  void rename_rule(const boost::json::object& n, ResultSink& sink);
  void drop_triggers(const boost::json::object& n, ResultSink& sink);
  void enable_trigger(catalog::TableDef& t, std::string_view subtype, const std::string& name);
  void set_logged(catalog::TableDef& t, bool logged);
  // DROP TRIGGER / DROP RULE name ON [schema.]table: the table and the name; nullptr (after IF
  // EXISTS's notice) when the table is missing.
  std::shared_ptr<const catalog::TableDef> member_target(const boost::json::value& object, bool missing_ok, ResultSink& sink,
                                                         std::string& name);

  // Enums and domains (ddl_types.cpp).
  void create_enum(const boost::json::object& n, ResultSink& sink);
  void create_composite(const boost::json::object& n, ResultSink& sink);
  // ALTER TYPE ... ADD / DROP / ALTER ATTRIBUTE and RENAME ATTRIBUTE of a composite type.
  void alter_composite(const boost::json::object& n, ResultSink& sink);
  // ALTER TYPE / DOMAIN ... OWNER TO (pg_dump writes it after each type it creates).
  void alter_type_owner(const boost::json::object& n, ResultSink& sink);
  void alter_enum(const boost::json::object& n, ResultSink& sink);
  void create_domain(const boost::json::object& n, ResultSink& sink);
  void alter_domain(const boost::json::object& n, ResultSink& sink);
  void rename_type(const boost::json::object& n, ResultSink& sink);
  void comment_type(const boost::json::object& n, ResultSink& sink);
  void drop_types(const boost::json::object& n, ResultSink& sink);
  // The type a TypeName's names denote (42704 unless missing_ok: then a NOTICE and nullptr;
  // 42809 when `domain` and it is no domain).
  std::shared_ptr<const catalog::TypeDef> find_type(const boost::json::array& names, bool domain, bool missing_ok,
                                                    ResultSink* sink);
  std::pair<std::string, std::string> new_type_name(const boost::json::array& names);
  // (table id, column name) of every column of the type, of its array type, or of the domain.
  std::vector<std::pair<uint32_t, std::string>> type_users(const catalog::TypeDef& t);
  void read_domain_constraint(catalog::TypeDef& d, const boost::json::object& constraint, bool creating);
  void for_each_domain_value(const catalog::TypeDef& d,
                             const std::function<void(const Value&, const catalog::TableDef&, const std::string&)>& f);

  void create_view(const boost::json::object& n, ResultSink& sink);
  void refresh_matview(const boost::json::object& n, ResultSink& sink);
  // Replaces a materialized view's rows by its query's (none when !populate).
  void fill_matview(const catalog::TableDef& mv, bool populate);
  uint64_t insert_query_rows(planner::Plan& plan, uint32_t table_id);
  // DROP of a relation views read: 2BP01, or with CASCADE the views go too (recursively).
  void drop_dependent_views(uint32_t relation_id, bool cascade, const std::string& what, ResultSink& sink,
                            const std::vector<uint32_t>& also_dropped = {});
  void drop_relation(const catalog::TableDef& t);  // a table's or view's catalog entries and storage

  SessionImpl& s_;
  std::string_view sql_;
  std::string_view statement_;
};

// Shared by the DDL translation units.
namespace ddl {
// A name not yet used by a relation: base, then base1, base2, ... (PostgreSQL's ChooseRelationName).
std::string choose_name(const catalog::Catalog& cat, const std::string& schema, std::string base);
// name(integer, text): a function as messages name it.
std::string signature(const std::string& name, const std::vector<uint32_t>& types);
// The schema a name refers to: "" (unqualified: the search path), public, or pg_temp.
std::string schema_of(const boost::json::object& range_var, const catalog::Catalog& catalog);
void apply_sequence_options(catalog::SequenceDef& seq, const boost::json::array& options, bool creating,
                            planner::Binder& binder, std::string* owned_by_table, std::string* owned_by_col);
// An index key expression's part of the index's name: the function it calls, else "expr"
// (PostgreSQL's FigureIndexColname).
std::string index_expression_name(const boost::json::value& expr);
// A DEFAULT expression or a partition bound may not read columns, run subqueries, aggregate or
// return sets: PostgreSQL's errors for the first such thing in the expression, in the order its
// parse analysis meets them (a function's arguments before the function). where: "DEFAULT
// expression" or "partition bound". Range bounds' MINVALUE / MAXVALUE are not column references.
void check_constant_expression(const boost::json::value& expr, std::string_view where);
// Calls f on every RangeVar (a relation name) of a parse tree.
void for_each_range_var(boost::json::value& tree, const std::function<void(boost::json::object&)>& f);
// Views that read table `table_id` (named schema.name) read it as new_schema.new_name from now on.
void repoint_views(catalog::Catalog& cat, storage::Transaction& txn, uint32_t table_id, const std::string& schema,
                   const std::string& name, const std::string& new_schema, const std::string& new_name);
// The object passes to another owner; the old owner's ACL items become the new owner's.
void pass_ownership(catalog::Ownership& access, uint32_t to);
// A view's (or materialized view's) query made independent of the search path: its relation
// names qualified with their schemas, the ids of what it reads collected.
void qualify_query(boost::json::value& query, const catalog::Catalog& cat, std::vector<uint32_t>& depends);
// "CREATE [MATERIALIZED] VIEW name AS query ...": the query's text as pg_get_viewdef gives it.
std::string view_definition(std::string_view statement);
// nextval(<sequence oid>::regclass) as a stored parse tree.
std::string nextval_json(uint32_t seq_id);
// CheckAttributeType's first rule: a column (or composite attribute) of a pseudo-type is 42P16.
void check_column_type(const std::string& column, uint32_t type);
// WITH (...) of CREATE TABLE [AS] and ALTER TABLE SET (...): 22023 for a parameter PostgreSQL does
// not know or a value it would refuse, 0A000 for WITH OIDS (reloptions.cpp).
void check_table_options(const boost::json::array& options);
// Whether a stored DEFAULT (stored_default) names sequence seq_id: nextval(<oid>::regclass) and
// the like, the dependency PostgreSQL records for a regclass constant.
bool default_uses_sequence(const std::string& default_expr, uint32_t seq_id);
// A DEFAULT expression as stored: the sequences nextval / currval / setval name by a string
// literal bound now to their OIDs, as PostgreSQL binds a regclass constant when it parses the
// expression (42P01 when there is none). Serialized JSON.
std::string stored_default(const boost::json::value& expr, const catalog::Catalog& cat);
// Whether two stored expressions (parse trees, JSON) are the same but for their positions.
bool same_expression(const std::string& a, const std::string& b);
// INHERIT and ATTACH PARTITION: the child must have each of the parent's inheritable CHECK
// constraints, with the same expression (PostgreSQL's MergeConstraintsIntoExisting); each then
// counts one more inheritance, and a partition's are no longer its own.
void merge_parent_checks(catalog::TableDef& child, const catalog::TableDef& parent, bool partition);
// Every table below table `id` in the inheritance hierarchy (each once, nearest first) with the
// number of its parents within that hierarchy (PostgreSQL's find_all_inheritors).
std::vector<std::pair<uint32_t, int>> all_inheritors(const catalog::Catalog& cat, uint32_t id);
}  // namespace ddl

}  // namespace heliosdb::engine
