// heliosdb::Database and heliosdb::Session: the public API over the engine.
#include "heliosdb/database.h"

#include <filesystem>

#include "common/errors.h"
#include "common/int_text.h"
#include "common/type_io.h"
#include "engine/database_impl.h"
#include "engine/portal.h"
#include "engine/session_impl.h"

namespace heliosdb {

namespace {

// Collects one statement's output into a heliosdb::Result (the last statement's wins).
class ResultCollector final : public engine::ResultSink {
 public:
  void columns(const std::vector<Column>& cols) override { cols_ = cols; }
  bool row(const Row& r) override {
    rows_.push_back(r);
    return true;
  }
  void complete(const std::string& tag, uint64_t count) override {
    result_ = Result(std::move(cols_), std::move(rows_), tag, count);
    cols_.clear();
    rows_.clear();
  }
  Result take() { return std::move(result_); }

 private:
  std::vector<Column> cols_;
  std::vector<Row> rows_;
  Result result_;
};

// The types a statement's parameters are given: a typed value's own, 0 (infer) for text of
// unknown type and for NULLs.
std::vector<uint32_t> types_of(const Params& params) {
  std::vector<uint32_t> t;
  t.reserve(params.size());
  for (const auto& p : params) t.push_back(p.value.type() == oid::kUnknownType ? 0 : p.value.type());
  return t;
}

std::vector<Value> to_values(const Params& params) {
  std::vector<Value> v;
  v.reserve(params.size());
  for (const auto& p : params) v.push_back(p.value);
  return v;
}

}  // namespace

void set_option(Options& o, std::string_view name, std::string_view value) {
  auto number = [&] {
    auto n = parse_count(value, SIZE_MAX);
    if (!n) raise(sqlstate::kInvalidParameterValue, "invalid value for option \"{}\": \"{}\"", name, value);
    return static_cast<size_t>(*n);
  };
  auto boolean = [&] {
    try {
      return types::parse_text(oid::kBool, value, -1, types::default_text_context()).as_bool();
    } catch (const Error&) {
      raise(sqlstate::kInvalidParameterValue, "option \"{}\" requires a Boolean value", name);
    }
  };
  if (name == "create_if_missing") o.create_if_missing = boolean();
  else if (name == "sync_commit") o.sync_commit = boolean();
  else if (name == "cache_size") o.cache_size = number();
  else if (name == "row_cache_size") o.row_cache_size = number();
  else if (name == "write_buffer_size") o.write_buffer_size = number();
  else if (name == "timezone") o.timezone = value;
  else if (name == "datestyle") o.datestyle = value;
  else if (name == "superuser" && !value.empty()) o.superuser = value;
  else raise(sqlstate::kInvalidParameterValue, "unrecognized option \"{}\"", name);
}

Database Database::open(const std::string& path, const Options& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!options.create_if_missing) raise(sqlstate::kInvalidCatalogName, "database \"{}\" does not exist", path);
    std::filesystem::create_directories(path, ec);
    if (ec) raise(sqlstate::kIoError, "could not create directory \"{}\": {}", path, ec.message());
  }
  auto store = storage::Store::open(path, options, false);
  std::string name = std::filesystem::path(path).filename().string();
  if (name.empty()) name = "heliosdb";
  auto impl = std::make_shared<engine::DatabaseImpl>(name, std::move(store), options);
  impl->roles = std::make_shared<catalog::RoleStore>((std::filesystem::path(path) / "roles.json").string(), options.superuser);
  // TEMP tables of sessions a crash ended are still in the catalog: drop them.
  engine::SessionImpl(impl, false).drop_temp_relations([](const std::string& schema) { return schema.rfind("pg_temp_", 0) == 0; });
  return Database(impl);
}

Database Database::open_in_memory(const Options& options) {
  auto store = storage::Store::open("", options, true);
  auto impl = std::make_shared<engine::DatabaseImpl>("memory", std::move(store), options);
  impl->roles = std::make_shared<catalog::RoleStore>("", options.superuser);
  return Database(impl);
}

Result Database::execute(std::string_view sql, const Params& params) {
  std::lock_guard lock(impl_->default_mu);
  // The implicit session lives inside the DatabaseImpl, so it refers to it without owning it
  // (an owning pointer would be a cycle that keeps the database open forever).
  if (!impl_->default_session)
    impl_->default_session = std::make_shared<engine::SessionImpl>(std::shared_ptr<engine::DatabaseImpl>(
        std::shared_ptr<engine::DatabaseImpl>(), impl_.get()), false);
  Session s(impl_->default_session);
  return s.execute(sql, params);
}

Session Database::session() { return Session(std::make_shared<engine::SessionImpl>(impl_)); }

namespace engine {
std::optional<LoginRole> login_role(const catalog::RoleStore& store, const std::string& name) {
  auto roles = store.current();
  const catalog::RoleDef* r = roles->find(name);
  if (!r) return std::nullopt;
  return LoginRole{r->login, r->superuser, r->password, r->valid_until};
}
}  // namespace engine

std::optional<LoginRole> Database::login_role(const std::string& name) const { return engine::login_role(*impl_->roles, name); }

Result Session::execute(std::string_view sql, const Params& params) {
  ResultCollector sink;
  if (params.empty()) {
    impl_->execute_script(sql, sink);
  } else {
    auto p = impl_->prepare(sql, types_of(params));
    impl_->execute_prepared(*p, to_values(params), sink);
  }
  return sink.take();
}

PreparedStatement Session::prepare(std::string_view sql, const std::vector<uint32_t>& param_types) {
  auto p = impl_->prepare(sql, param_types);
  return PreparedStatement(std::make_shared<PreparedStatement::Impl>(PreparedStatement::Impl{std::move(p)}));
}

Result Session::execute(const PreparedStatement& stmt, const Params& params) {
  if (!stmt.valid()) raise(sqlstate::kInvalidSqlStatementName, "prepared statement is not valid");
  ResultCollector sink;
  impl_->execute_prepared(*stmt.impl()->prepared, to_values(params), sink);
  return sink.take();
}

const std::vector<uint32_t>& PreparedStatement::parameter_types() const { return impl_->prepared->param_types; }
const std::vector<Column>& PreparedStatement::columns() const { return impl_->prepared->columns; }

Cursor Session::query(std::string_view sql, const Params& params) {
  auto p = impl_->prepare(sql, types_of(params));
  return Cursor(std::make_unique<Cursor::Impl>(*impl_, std::move(p), to_values(params)));
}

Cursor Session::query(const PreparedStatement& stmt, const Params& params) {
  if (!stmt.valid()) raise(sqlstate::kInvalidSqlStatementName, "prepared statement is not valid");
  return Cursor(std::make_unique<Cursor::Impl>(*impl_, stmt.impl()->prepared, to_values(params)));
}

char Session::transaction_status() const { return impl_->transaction_status(); }

std::string Session::setting(std::string_view name) const { return impl_->setting(std::string(name)); }

std::vector<Session::Notification> Session::take_notifications() {
  std::vector<Notification> out;
  if (impl_->transaction_status() != 'I') return out;
  for (auto& n : impl_->take_notifications()) out.push_back({std::move(n.channel), std::move(n.payload), n.pid});
  return out;
}

std::string Session::to_text(const Value& v) const {
  if (v.is_null()) return {};
  types::UserTypesScope user_types(impl_->user_types());  // an array of an enum
  return types::format_text(v, impl_->text_context());
}

Cursor::Cursor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Cursor::Cursor(Cursor&&) noexcept = default;
Cursor& Cursor::operator=(Cursor&&) noexcept = default;
Cursor::~Cursor() = default;
const std::vector<Column>& Cursor::columns() const { return impl_->columns(); }
std::optional<Row> Cursor::next() {
  Row r;
  if (!impl_->next(r)) return std::nullopt;
  return r;
}
std::string Cursor::command_tag() const { return impl_->tag(); }

}  // namespace heliosdb
