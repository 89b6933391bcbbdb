// COPY on a session: FROM STDIN through a prepared INSERT (so defaults, casts, constraints and
// indexes are the INSERT's), TO STDOUT from a table or a query.
#include <boost/json.hpp>

#include "catalog/system_views.h"
#include "common/binary_format.h"
#include "common/errors.h"
#include "engine/copy.h"
#include "engine/copy_reader.h"
#include "engine/session_impl.h"

namespace heliosdb::engine {

namespace json = boost::json;

namespace {

// Whether sql starts with the keyword COPY (after blanks and -- comments).
bool starts_with_copy(std::string_view sql) {
  size_t i = 0;
  for (;;) {
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (sql.substr(i, 2) == "--") {
      size_t nl = sql.find('\n', i);
      if (nl == std::string_view::npos) return false;
      i = nl + 1;
      continue;
    }
    break;
  }
  if (sql.size() - i < 4) return false;
  for (size_t k = 0; k < 4; ++k)
    if (std::tolower(static_cast<unsigned char>(sql[i + k])) != "copy"[k]) return false;
  return i + 4 == sql.size() || !std::isalnum(static_cast<unsigned char>(sql[i + 4]));
}

struct CopyTarget {
  std::shared_ptr<const catalog::TableDef> table;
  std::vector<size_t> columns;  // positions in the table
};

CopyTarget copy_target(const catalog::Catalog& cat, const json::object& n) {
  const auto& rv = sql::field(n, "relation")->as_object();
  std::string schema(sql::str_field(rv, "schemaname")), name(sql::str_field(rv, "relname"));
  CopyTarget t;
  t.table = cat.table(schema, name);
  if (!t.table) {
    catalog::check_schema(schema, &cat);
    raise(sqlstate::kUndefinedTable, "relation \"{}\" does not exist", schema.empty() ? name : schema + "." + name);
  }
  if (t.table->is_view()) {
    bool from = sql::bool_field(n, "is_from");
    Error e(sqlstate::kWrongObjectType, fmt::format("cannot copy {} view \"{}\"", from ? "to" : "from", name));
    if (!from) e.with_hint("Try the COPY (SELECT ...) TO variant.");
    throw e;
  }
  const auto& attlist = sql::list_field(n, "attlist");
  if (attlist.empty()) {
    for (size_t i = 0; i < t.table->columns.size(); ++i) t.columns.push_back(i);
    return t;
  }
  for (const auto& a : attlist) {
    std::string col(sql::str_field(sql::node_body(a), "sval"));
    int idx = -1;
    for (size_t i = 0; i < t.table->columns.size(); ++i)
      if (t.table->columns[i].name == col) idx = static_cast<int>(i);
    if (idx < 0) raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", col, name);
    for (size_t p : t.columns)
      if (p == static_cast<size_t>(idx)) raise(sqlstate::kDuplicateColumn, "column \"{}\" specified more than once", col);
    t.columns.push_back(static_cast<size_t>(idx));
  }
  return t;
}

}  // namespace

std::unique_ptr<CopyIn> SessionImpl::start_copy_in(std::string_view sql_text) {
  catalog::TempSchemaScope temp_scope(&temp_schema_, &search_path_names());
  types::UserTypesScope types_scope(&names_);
  catalog::DatabaseOwnerScope owner_scope(roles().database_owner(db_->name()));  // pg_database_owner
  if (!starts_with_copy(sql_text)) return nullptr;
  std::shared_ptr<const sql::ParseResult> parsed;
  try {
    parsed = sql::parse(sql_text);
  } catch (...) {
    return nullptr;  // execute_script reports the syntax error
  }
  if (parsed->statements.size() != 1 || parsed->statements[0].node->begin()->key() != "CopyStmt") return nullptr;
  const auto& n = parsed->statements[0].node->begin()->value().as_object();
  if (!sql::bool_field(n, "is_from") || sql::field(n, "filename") || sql::bool_field(n, "is_program")) return nullptr;
  try {
    if (failed_)
      raise(sqlstate::kInFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
    if (sql::field(n, "whereClause")) unsupported("COPY FROM ... WHERE");
    auto copy = std::make_unique<CopyIn>();
    CopyTarget target = copy_target(current_catalog(), n);
    CopyOptions options = copy_options(sql::list_field(n, "options"), true);
    const auto& t = *target.table;
    check_access({{t.id, catalog::kInsert, 0}});
    std::string cols, values;
    std::vector<uint32_t> types;
    for (size_t i = 0; i < target.columns.size(); ++i) {
      const auto& c = t.columns[target.columns[i]];
      cols += (i ? ", " : "") + sql::quote_identifier(c.name);
      values += (i ? ", $" : "$") + std::to_string(i + 1);
      copy->types.push_back(c.type);
      copy->typmods.push_back(c.typmod);
      copy->names.push_back(c.name);
    }
    copy->table = t.name;
    copy->binary = options.binary;
    if (target.columns.size() == t.columns.size() &&
        std::ranges::none_of(t.columns, [](const auto& c) { return c.generated || c.domain; }))
      copy->direct = target.columns;
    options.resolve_force_columns(copy->names, target.table.get());
    // COPY FROM writes the values it is given, identity columns too (INSERT's OVERRIDING SYSTEM VALUE).
    copy->insert = prepare_unchecked("INSERT INTO " + sql::quote_identifier(t.schema) + "." + sql::quote_identifier(t.name) +
                                         " (" + cols + ") OVERRIDING SYSTEM VALUE VALUES (" + values + ")",
                                     copy->types);
    copy->parser = std::make_unique<CopyParser>(options);
    copy->autocommit = !in_block_;
    implicit_block_ = true;  // the rows go in as one statement
    begin_implicit();         // under the statement's snapshot
    copying_ = true;
    copy->plan = plan_for(copy->insert.get(), *copy->insert->parsed, *copy->insert->stmt, copy->owned_plan);
    if (copy->plan->plan_error) throw *copy->plan->plan_error;
    copy->params.resize(copy->types.size());
    copy->ctx.emplace(make_context(&copy->params));
    key_checks_.statement.clear();
    fk_writers_.clear();
    auto triggers = std::make_shared<StatementTriggers>(*this, copy->plan->table);
    auto partition_triggers = std::make_shared<PartitionTriggers>(*this);
    if (copy->plan->table->is_partitioned())
      copy->insert_routed = [this, partition_triggers, &copy = *copy](Row& row) {
        return insert_routed(*copy.ctx, copy.plan->route_for(row, copy.ctx->text), *partition_triggers, row);
      };
    auto has_triggers = [](const planner::Plan::Route& r) { return !r.writer->layout().table->triggers.empty(); };
    if (triggers->any() || std::ranges::any_of(copy->plan->routes, has_triggers)) {
      triggers->before_statement(catalog::kTriggerInsert);
      copy->before_row = [triggers](Row& row) { return triggers->before_row(catalog::kTriggerInsert, nullptr, &row); };
      copy->after_row = [triggers](const Row& row) { triggers->after_row(catalog::kTriggerInsert, nullptr, &row); };
      copy->after_statement = [triggers, partition_triggers] {
        partition_triggers->after_statement();
        triggers->after_statement();
      };
    } else {
      copy->ctx->bulk_load = true;  // no trigger reads the table between rows
    }
    return copy;
  } catch (...) {
    if (in_block_) fail_block();
    rethrow_as_error();
  }
}

CopyIn::CopyIn() = default;
CopyIn::~CopyIn() = default;

namespace {
// Where a COPY FROM error happened, as PostgreSQL's CONTEXT says it: the line (the tuple's
// number in binary format), with its text in the text formats.
std::string copy_where(const CopyIn& copy, uint64_t line_no) { return fmt::format("COPY {}, line {}", copy.table, line_no); }
std::string copy_where(const CopyIn& copy, uint64_t line_no, std::string_view line) {
  return copy.binary ? copy_where(copy, line_no) : fmt::format("{}: \"{}\"", copy_where(copy, line_no), line);
}
// A large load (over this much input) reads on a thread of its own (CopyReader).
constexpr size_t kReaderAfterBytes = size_t{1} << 20;
}  // namespace

// A COPY FROM line's fields: the row (copy.direct) or the plan's parameters. Errors name the
// column whose value did not convert. With copy.direct, only reads the session (the CopyReader's
// thread calls it).
void SessionImpl::copy_read(CopyIn& copy, const std::vector<std::optional<std::string>>& fields, std::string_view line,
                            uint64_t line_no, Row& row) const {
  size_t n = copy.types.size();
  if (copy.binary && fields.size() != n)
    throw Error(sqlstate::kBadCopyFileFormat, fmt::format("row field count is {}, expected {}", fields.size(), n))
        .with_context(copy_where(copy, line_no));
  if (fields.size() < n)
    throw Error(sqlstate::kBadCopyFileFormat, fmt::format("missing data for column \"{}\"", copy.names[fields.size()]))
        .with_context(copy_where(copy, line_no, line));
  if (fields.size() > n)
    throw Error(sqlstate::kBadCopyFileFormat, "extra data after last expected column").with_context(copy_where(copy, line_no, line));
  bool direct = !copy.direct.empty();
  if (direct) row.resize(n);  // every column is assigned below: the row's old values are reused
  for (size_t i = 0; i < n; ++i) {
    Value& v = direct ? row[copy.direct[i]] : copy.params[i];
    if (!fields[i]) {
      v = Value::null(copy.types[i]);
      continue;
    }
    int32_t typmod = copy.typmods[i];  // as PostgreSQL's COPY: the type's input with the column's modifier
    try {
      if (!copy.binary) v = types::parse_text(copy.types[i], *fields[i], typmod, text_);
      else if (typmod < 0) v = binary::decode(copy.types[i], *fields[i]);
      else v = types::apply_typmod(binary::decode(copy.types[i], *fields[i]), typmod, false);
    } catch (Error& e) {
      if (e.context().empty())
        e.with_context(copy.binary ? fmt::format("{}, column {}", copy_where(copy, line_no), copy.names[i])
                                   : fmt::format("{}, column {}: \"{}\"", copy_where(copy, line_no), copy.names[i], *fields[i]));
      throw;
    }
  }
}

// Writes a row read by copy_read: through the plan's row (defaults of the other columns), the
// table's triggers and its writer (checks, keys, indexes, foreign keys queued for the
// statement's end).
void SessionImpl::copy_write(CopyIn& copy, Row& row, uint64_t line_no, std::string_view line) {
  exec::ExecContext& ctx = *copy.ctx;
  try {
    ctx.check_cancel();
    planner::Plan& plan = *copy.plan;
    bool got = true;
    if (copy.direct.empty()) {
      plan.root->open(ctx);
      got = plan.root->next(row);
      plan.root->close();
    }
    if (got && copy.before_row && !copy.before_row(row)) return;  // a BEFORE trigger skipped it
    if (got && copy.insert_routed) {
      if (!copy.insert_routed(row)) return;  // its partition's BEFORE trigger skipped it
    } else if (got) {
      plan.writer->insert(ctx, row);
    }
    if (got && copy.after_row) copy.after_row(row);
  } catch (Error& e) {
    // A key found taken names no line text (PostgreSQL checks keys as it inserts the batch).
    if (e.context().empty())
      e.with_context(e.sqlstate() == sqlstate::kUniqueViolation ? copy_where(copy, line_no) : copy_where(copy, line_no, line));
    throw;
  }
  ++copy.count;
}

void SessionImpl::copy_in_row(CopyIn& copy, const std::vector<std::optional<std::string>>& fields, std::string_view line) {
  Row row;
  copy_read(copy, fields, line, copy.parser->line(), row);
  copy_write(copy, row, copy.parser->line(), line);
}

// Writes the rows the CopyReader read, then raises the error that ended its reading, if any.
void SessionImpl::copy_write_batch(CopyIn& copy, CopyReaderBatch& batch) {
  for (size_t i = 0; i < batch.count; ++i) copy_write(copy, batch.rows[i], batch.lines[i], batch.line(i));
  if (batch.error) std::rethrow_exception(batch.error);
}

// Hands the parser to a CopyReader when the rest of the load may be read on another thread:
// the row is the fields (copy.direct), no trigger sees rows as they come (bulk_load), and no
// field is read through the catalog (reg* types).
void SessionImpl::start_copy_reader(CopyIn& copy) {
  if (copy.direct.empty() || !copy.ctx->bulk_load) return;
  for (uint32_t t : copy.types)
    if (t == oid::kRegclass || t == oid::kRegtype || t == oid::kRegproc || t == oid::kRegnamespace || t == oid::kRegrole ||
        t == oid::kRegprocedure)
      return;
  auto read = [this, &copy](const CopyReader::Fields& fields, std::string_view line, uint64_t line_no, Row& row) {
    copy_read(copy, fields, line, line_no, row);
  };
  auto scope = [names = &names_](const std::function<void()>& body) {
    types::UserTypesScope types_scope(names);  // enum labels
    body();
  };
  auto end_context = [&copy](Error& e, const CopyParser& parser) {
    e.with_context(copy.binary ? copy_where(copy, parser.line() + 1) : copy_where(copy, parser.pending_line(), parser.pending()));
  };
  copy.reader = std::make_unique<CopyReader>(std::move(copy.parser), read, scope, end_context);
}

void SessionImpl::copy_in_data(CopyIn& copy, std::string_view data, ResultSink* notices) {
  types::UserTypesScope types_scope(&names_);  // enum labels read and compared
  struct Notices { ResultSink*& at; ResultSink* saved; ~Notices() { at = saved; } } restore{notice_sink_, notice_sink_};
  notice_sink_ = notices;
  try {
    if (!copy.reader) {
      copy.parser->feed(data, [&](const auto& fields, std::string_view line) { copy_in_row(copy, fields, line); });
      copy.bytes += data.size();
      if (copy.bytes > kReaderAfterBytes) start_copy_reader(copy);
      return;
    }
    copy.reader->feed(data);
    // Writes what has been read; when much input waits, waits for rows rather than queue more.
    CopyReader::Batch batch;
    while (copy.reader->next(batch, copy.reader->full())) {
      copy_write_batch(copy, batch);
      copy.reader->recycle(std::move(batch));
    }
  } catch (...) {
    abort_copy_in(copy);
    rethrow_as_error();
  }
}

std::string SessionImpl::finish_copy_in(CopyIn& copy, ResultSink* notices) {
  types::UserTypesScope types_scope(&names_);  // enum labels read and compared
  struct Notices { ResultSink*& at; ResultSink* saved; ~Notices() { at = saved; } } restore{notice_sink_, notice_sink_};
  notice_sink_ = notices;
  try {
    if (copy.reader) {
      copy.reader->finish();
      CopyReader::Batch batch;
      while (copy.reader->next(batch, true)) {
        copy_write_batch(copy, batch);
        copy.reader->recycle(std::move(batch));
      }
      copy.reader.reset();
    } else {
      try {
        copy.parser->finish([&](const auto& fields, std::string_view line) { copy_in_row(copy, fields, line); });
      } catch (Error& e) {
        // The input ended inside a line (an unterminated quoted field, a cut-off binary tuple).
        if (e.context().empty())
          e.with_context(copy.binary ? copy_where(copy, copy.parser->line() + 1)
                                     : copy_where(copy, copy.parser->pending_line(), copy.parser->pending()));
        throw;
      }
    }
  } catch (...) {
    abort_copy_in(copy);
    rethrow_as_error();
  }
  try {
    exec::run_key_checks(*copy.ctx, key_checks_.statement);  // foreign keys, at the statement's end
    if (copy.after_statement) copy.after_statement();
  } catch (...) {
    abort_copy_in(copy);
    rethrow_as_error();
  }
  implicit_block_ = false;
  copying_ = false;
  if (copy.autocommit && !in_block_ && txn_) commit_transaction();
  return "COPY " + std::to_string(copy.count);
}

void SessionImpl::abort_copy_in(CopyIn& copy) {
  copy.reader.reset();  // its thread stops before the transaction goes
  implicit_block_ = false;
  copying_ = false;
  if (in_block_) fail_block();
  else rollback_transaction();
}

void SessionImpl::run_copy(const json::object& n, const sql::ParseResult& parsed, ResultSink& sink) {
  if (sql::bool_field(n, "is_program")) unsupported("COPY to or from a program");
  if (sql::field(n, "filename")) unsupported("COPY to or from a file (use STDIN / STDOUT)");
  if (sql::bool_field(n, "is_from"))
    unsupported("COPY FROM STDIN here: it must be the only statement of a simple Query over the wire protocol");
  CopyOptions options = copy_options(sql::list_field(n, "options"), false);
  std::unique_ptr<planner::Plan> plan;
  std::shared_ptr<const catalog::TableDef> table;
  if (const auto* query = sql::field(n, "query")) {
    if (sql::node_type(*query) != "SelectStmt") unsupported("COPY of anything but a table or a SELECT");
    planner::Binder binder(current_catalog(), parsed.sql, {}, &text_);
    plan = binder.bind_statement(query->as_object());
  } else {
    CopyTarget target = copy_target(current_catalog(), n);
    table = target.table;
    std::string cols;
    for (size_t i = 0; i < target.columns.size(); ++i)
      cols += (i ? ", " : "") + sql::quote_identifier(target.table->columns[target.columns[i]].name);
    auto select = sql::parse("SELECT " + cols + " FROM " + sql::quote_identifier(target.table->schema) + "." +
                             sql::quote_identifier(target.table->name));
    planner::Binder binder(current_catalog(), select->sql, {}, &text_);
    plan = binder.bind_statement(*select->statements[0].node);
  }
  check_access(plan->access);
  if (plan->plan_error) throw *plan->plan_error;
  std::vector<std::string> names;
  for (const auto& c : plan->columns) names.push_back(c.name);
  options.resolve_force_columns(names, table.get());
  if (!sink.copy_out_begin(plan->columns.size(), options.binary)) unsupported("COPY TO STDOUT outside the wire protocol");
  std::string buf;  // one CopyData message per row, as PostgreSQL sends them
  if (options.binary) {
    copy_binary_header(buf);
    sink.copy_out_data(buf);
  }
  if (options.header) {
    std::vector<std::string> names;
    for (const auto& c : plan->columns) names.push_back(c.name);
    copy_format_header(buf, names, options);
    sink.copy_out_data(buf);
  }
  run_before(*plan, nullptr, nullptr);
  exec::ExecContext ctx = make_context(nullptr);
  plan->root->open(ctx);
  Row row;
  uint64_t count = 0;
  while (plan->root->next(row)) {
    buf.clear();
    if (options.binary) copy_binary_row(buf, row);
    else copy_format_row(buf, row, options, text_);
    sink.copy_out_data(buf);
    ++count;
  }
  plan->root->close();
  if (options.binary) {
    buf.clear();
    copy_binary_trailer(buf);
    sink.copy_out_data(buf);
  }
  sink.complete("COPY " + std::to_string(count), count);
}

}  // namespace heliosdb::engine
