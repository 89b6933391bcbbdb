#include "sql/parser.h"

#include <unordered_set>

#include <pg_query.h>

#include <boost/json.hpp>
#include <charconv>

#include "common/errors.h"

namespace heliosdb::sql {
namespace {

const json::array kEmptyArray;

// libpg_query reports positions as 1-based character offsets already (cursorpos).
[[noreturn]] void throw_parse_error(const PgQueryError& e) {
  std::string msg = e.message ? e.message : "syntax error";
  const char* state = sqlstate::kSyntaxError;
  // A few grammar errors carry other SQLSTATEs in PostgreSQL.
  if (msg.find("unterminated") != std::string::npos || msg.find("syntax error") != std::string::npos)
    state = sqlstate::kSyntaxError;
  else if (msg.find("not supported") != std::string::npos || msg.find("not implemented") != std::string::npos ||
           msg.find("cannot include schema elements") != std::string::npos)
    state = sqlstate::kFeatureNotSupported;
  else if (msg.find("invalid") != std::string::npos && msg.find("escape") != std::string::npos)
    state = sqlstate::kInvalidEscapeSequence;
  else if (msg.find("out of range") != std::string::npos)
    state = sqlstate::kNumericValueOutOfRange;
  else if (msg.find("too long") != std::string::npos)
    state = sqlstate::kNameTooLong;
  else if (msg.starts_with("frame ") || msg.find("window") != std::string::npos)
    state = sqlstate::kWindowingError;
  else if (msg.find("cannot be used as a role name") != std::string::npos || msg.find("is reserved") != std::string::npos)
    state = sqlstate::kReservedName;
  // The scanner's hint, which libpg_query does not pass on.
  bool bad_unicode_escape = msg == "invalid Unicode escape";
  Error err(state, std::move(msg));
  if (e.cursorpos > 0) err.with_position(e.cursorpos);
  if (bad_unicode_escape) err.with_hint("Unicode escapes must be \\XXXX or \\+XXXXXX.");
  throw err;
}

// Reads an integer literal (optionally signed, parenthesised) starting at pos in sql.
int64_t read_int_at(std::string_view sql, size_t p) {
  bool neg = false;
  auto skip = [&] {
    while (p < sql.size() && (std::isspace(static_cast<unsigned char>(sql[p])) || sql[p] == '(')) ++p;
  };
  skip();
  while (p < sql.size() && (sql[p] == '-' || sql[p] == '+')) {
    if (sql[p] == '-') neg = !neg;
    ++p;
    skip();
  }
  int64_t v = 0;  // accumulated negatively to reach INT64_MIN
  while (p < sql.size() && std::isdigit(static_cast<unsigned char>(sql[p]))) v = v * 10 - (sql[p++] - '0');
  return neg ? v : -v;
}

// libpg_query 15-4.0 writes 0 and negative integers as empty objects ("ival":{} in A_Const,
// {"Integer":{}} in DefElem arguments). Put the value back, read from the SQL text, so every
// later reader (and every stored expression) sees a complete tree.
void fix_integers(json::value& v, std::string_view sql, int64_t defelem_loc) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) fix_integers(x, sql, defelem_loc);
    return;
  }
  if (!v.is_object()) return;
  auto& o = v.as_object();
  if (auto* ac = o.if_contains("A_Const"); ac && ac->is_object()) {
    auto& a = ac->as_object();
    if (auto* iv = a.if_contains("ival"); iv && iv->is_object() && iv->as_object().empty()) {
      int64_t loc = int_field(a, "location", -1);
      iv->as_object()["ival"] = loc >= 0 && static_cast<size_t>(loc) < sql.size() ? read_int_at(sql, static_cast<size_t>(loc)) : 0;
    }
    return;
  }
  if (auto* in = o.if_contains("Integer"); in && in->is_object() && in->as_object().empty()) {
    int64_t value = 0;
    if (defelem_loc >= 0) {
      // The number follows the option's keywords: find its first digit or sign.
      size_t p = static_cast<size_t>(defelem_loc);
      while (p < sql.size() && !std::isdigit(static_cast<unsigned char>(sql[p])) && sql[p] != '-' && sql[p] != '+' && sql[p] != ';') ++p;
      value = read_int_at(sql, p);
    }
    in->as_object()["ival"] = value;
    return;
  }
  if (auto* d = o.if_contains("DefElem"); d && d->is_object()) {
    int64_t loc = int_field(d->as_object(), "location", -1);
    for (auto& kv : d->as_object()) fix_integers(kv.value(), sql, loc);
    return;
  }
  for (auto& kv : o) fix_integers(kv.value(), sql, defelem_loc);
}

}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string quote_ident(std::string_view name) {
  // The keywords PostgreSQL 15 quotes (reserved, type/function-name and column-name ones).
  static const std::unordered_set<std::string_view> kKeywords = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
      "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce",
      "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
      "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user",
      "dec", "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
      "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest",
      "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect",
      "interval", "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit",
      "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull",
      "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
      "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row",
      "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "table",
      "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
      "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with",
      "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse",
      "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
  bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) plain &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  if (plain && !kKeywords.count(name)) return std::string(name);
  return quote_identifier(name);
}

std::shared_ptr<const ParseResult> parse(std::string_view sql_text) {
  auto result = std::make_shared<ParseResult>();
  result->sql.assign(sql_text);
  PgQueryParseResult r = pg_query_parse(result->sql.c_str());
  struct Free {
    PgQueryParseResult& r;
    ~Free() { pg_query_free_parse_result(r); }
  } free_it{r};
  if (r.error) throw_parse_error(*r.error);
  // Parse trees nest deeply (each expression level is two or three objects); libpg_query
  // itself stops at PostgreSQL's stack depth limit, so no depth limit is needed here.
  json::parse_options deep;
  deep.max_depth = 100000;
  result->tree = json::parse(r.parse_tree, {}, deep);
  fix_integers(result->tree, result->sql, -1);
  const auto& stmts = list_field(result->tree.as_object(), "stmts");
  for (const auto& raw : stmts) {
    const auto& o = raw.as_object();
    Statement s;
    s.node = &o.at("stmt").as_object();
    s.location = static_cast<int>(int_field(o, "stmt_location"));
    s.length = static_cast<int>(int_field(o, "stmt_len"));
    std::string_view all = result->sql;
    s.text = all.substr(std::min<size_t>(s.location, all.size()),
                        s.length ? static_cast<size_t>(s.length) : std::string_view::npos);
    result->statements.push_back(s);
  }
  return result;
}

std::string deparse(std::string_view statement) {
  std::string text(statement);
  PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text.c_str());
  struct FreeParse {
    PgQueryProtobufParseResult& r;
    ~FreeParse() { pg_query_free_protobuf_parse_result(r); }
  } free_parse{parsed};
  if (parsed.error) throw_parse_error(*parsed.error);
  PgQueryDeparseResult d = pg_query_deparse_protobuf(parsed.parse_tree);
  struct FreeDeparse {
    PgQueryDeparseResult& r;
    ~FreeDeparse() { pg_query_free_deparse_result(r); }
  } free_deparse{d};
  if (d.error) raise(sqlstate::kInternalError, "could not deparse: {}", d.error->message);
  return d.query;
}

std::string_view node_type(const json::value& node) {
  const auto& o = node.as_object();
  if (o.empty()) return {};
  return o.begin()->key();
}

const json::object& node_body(const json::value& node) { return node.as_object().begin()->value().as_object(); }

const json::value* field(const json::object& o, std::string_view key) { return o.if_contains(key); }

std::string_view str_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return v->as_string();
}

int64_t int_field(const json::object& o, std::string_view key, int64_t dflt) {
  const auto* v = o.if_contains(key);
  if (!v) return dflt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return dflt;
}

bool bool_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

const json::array& list_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array()) return kEmptyArray;
  return v->as_array();
}

std::string_view string_node(const json::value& v) {
  const auto& o = v.as_object();
  if (const auto* s = o.if_contains("String")) return str_field(s->as_object(), "sval");
  return {};
}

int64_t const_ival(const json::object& a_const, std::string_view) {
  const auto* iv = a_const.if_contains("ival");
  if (iv && iv->is_object())
    if (const auto* n = iv->as_object().if_contains("ival")) return n->to_number<int64_t>();
  return 0;
}

}  // namespace heliosdb::sql
