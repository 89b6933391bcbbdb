// The SQL front end: PostgreSQL 15's own grammar (libpg_query) producing its parse tree as
// Boost.JSON, plus the helpers every reader of that tree needs.
#pragma once

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace heliosdb::sql {

namespace json = boost::json;

struct Statement {
  const json::object* node = nullptr;  // e.g. {"SelectStmt": {...}}
  int location = 0;                    // byte offset of the statement in the text
  int length = 0;                      // bytes (0 = to the end)
  std::string_view text;               // the statement's own text
};

// A parsed query string. Owns the tree the Statements point into.
struct ParseResult {
  std::string sql;
  json::value tree;
  std::vector<Statement> statements;
};

// Parses sql (one or more statements). Throws 42601 (or the grammar's SQLSTATE) with the
// 1-based position of the error, like PostgreSQL.
std::shared_ptr<const ParseResult> parse(std::string_view sql);

// One statement's text as libpg_query deparses its tree: PostgreSQL's spelling, normalized.
std::string deparse(std::string_view statement);

// Tree helpers. A "node" is an object with a single key naming its type: {"ColumnRef": {...}}.
std::string_view node_type(const json::value& node);
const json::object& node_body(const json::value& node);
// Field of an object, or nullptr when absent.
const json::value* field(const json::object& o, std::string_view key);
std::string_view str_field(const json::object& o, std::string_view key);  // "" when absent
int64_t int_field(const json::object& o, std::string_view key, int64_t dflt = 0);
bool bool_field(const json::object& o, std::string_view key);
// List field as array (empty when absent).
const json::array& list_field(const json::object& o, std::string_view key);
// "name" with embedded quotes doubled: an identifier that reads back exactly, for generated SQL.
std::string quote_identifier(std::string_view name);
// PostgreSQL's quote_ident: the name as is when it reads back unquoted (lower case letters,
// digits, underscores, not a keyword), else double-quoted.
std::string quote_ident(std::string_view name);
// {"String": {"sval": "x"}} -> "x"
std::string_view string_node(const json::value& v);

// The integer value of an A_Const "ival" field. (libpg_query 15-4.0 writes 0 and negative
// integers as empty objects; parse() restores them from the SQL text, see fix_integers.)
int64_t const_ival(const json::object& a_const, std::string_view sql = {});

}  // namespace heliosdb::sql
